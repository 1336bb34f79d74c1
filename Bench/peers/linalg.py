"""Peer side of `compare linalg`: SciPy and NumPy (LAPACK on OpenBLAS) on the same matrices as the C# side.

Usage: /usr/bin/python3 linalg.py CASE [CASE ...]
  cholesky:N[:DTYPE:SAMPLES]
                    scipy.linalg.cho_factor on the N x N matrix A[i, j] = 0.5^|i - j| in float64 (default) or
                    float32 (LAPACK dpotrf / spotrf), the median of SAMPLES samples (default 7)
  qr_raw:M:N        scipy.linalg.qr(mode='raw'), LAPACK geqrf: R and the reflectors, on the hashed M x N matrix
  qr_reduced:M:N    numpy.linalg.qr(mode='reduced'): R and the thin Q, on the same matrix
  cg:G:RTOL:RUNS    scipy.sparse.linalg.cg with a Jacobi preconditioner (r / diag) on the 2-D Poisson matrix of a
                    G x G grid, b[i] = ((37 i) mod 101 - 50) / 50, tol=RTOL, atol=0; RUNS full solves
The matrices are built from exact formulas that the C# side (Bench/Commands/LinalgProblems.cs) evaluates to the same
bits: powers of two, a 32-bit integer hash, and the integer 5-point stencil.
The thread count is set by the caller through OPENBLAS_NUM_THREADS before NumPy loads.
Prints one JSON object: seconds per call for the factorizations; {iterations, seconds_per_iteration,
relative_residual} for cg (the median over the runs).
"""
import sys
import time

import numpy as np
import scipy.linalg
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from common import emit, median_seconds


def kms(n):
    """A[i, j] = 0.5^|i - j| (Kac-Murdock-Szego): SPD with condition number about 9, every entry exact."""
    i = np.arange(n)
    return np.ldexp(1.0, -np.abs(i[:, None] - i[None, :]))


def hashed(m, n):
    """Entries in [-0.5, 0.5) from a 32-bit multiplicative hash of (i, j), exactly as LinalgProblems.Hashed."""
    mask = np.uint64(0xFFFFFFFF)
    i = np.arange(m, dtype=np.uint64)[:, None]
    j = np.arange(n, dtype=np.uint64)[None, :]
    u = (i * np.uint64(2654435761) + j * np.uint64(2246822519)) & mask
    u = ((u ^ (u >> np.uint64(15))) * np.uint64(2654435761)) & mask
    u = u ^ (u >> np.uint64(13))
    return u.astype(np.float64) / 4294967296.0 - 0.5


def poisson(g):
    """5-point Laplacian on a g x g grid, unknown i*g + j: 4 on the diagonal, -1 per grid neighbour."""
    t = sp.diags([-1.0, 2.0, -1.0], [-1, 0, 1], shape=(g, g))
    identity = sp.identity(g)
    a = (sp.kron(identity, t) + sp.kron(t, identity)).tocsr()
    a.sum_duplicates()
    a.sort_indices()
    return a


def cg(g, rtol, runs):
    a = poisson(g)
    n = g * g
    b = ((37 * np.arange(n)) % 101 - 50) / 50.0
    d = a.diagonal()
    m = spla.LinearOperator((n, n), matvec=lambda r: r / d, dtype=np.float64)
    per_iteration = []
    iterations = 0
    residual = 0.0
    for _ in range(runs):
        count = [0]

        def callback(_):
            count[0] += 1

        start = time.perf_counter()
        x, info = spla.cg(a, b, tol=rtol, atol=0.0, M=m, callback=callback)
        elapsed = time.perf_counter() - start
        if info != 0:
            raise SystemExit(f"scipy cg did not converge (info={info})")
        iterations = count[0]
        per_iteration.append(elapsed / iterations)
        residual = float(np.linalg.norm(b - a @ x) / np.linalg.norm(b))
    per_iteration.sort()
    return {"iterations": iterations, "seconds_per_iteration": per_iteration[len(per_iteration) // 2], "relative_residual": residual}


def run(case):
    parts = case.split(":")
    op = parts[0]
    if op == "cholesky":
        dtype = np.dtype(parts[2]) if len(parts) > 2 else np.float64
        samples = int(parts[3]) if len(parts) > 3 else 7
        a = kms(int(parts[1])).astype(dtype)
        return median_seconds(lambda: scipy.linalg.cho_factor(a, lower=True, check_finite=False), sample_time=0.3, samples=samples)
    if op == "qr_raw":
        a = hashed(int(parts[1]), int(parts[2]))
        return median_seconds(lambda: scipy.linalg.qr(a, mode="raw", check_finite=False), sample_time=0.3, samples=7)
    if op == "qr_reduced":
        a = hashed(int(parts[1]), int(parts[2]))
        return median_seconds(lambda: np.linalg.qr(a, mode="reduced"), sample_time=0.3, samples=7)
    if op == "cg":
        return cg(int(parts[1]), float(parts[2]), int(parts[3]))
    raise SystemExit(f"unknown case {case}")


if __name__ == "__main__":
    emit({case: run(case) for case in sys.argv[1:]})
