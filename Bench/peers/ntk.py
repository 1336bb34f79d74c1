"""Peer side of `compare ntk`: the NTK of the 2-layer ReLU net built with NumPy and kernel ridge regression with
scikit-learn's KernelRidge(kernel='precomputed'), on the same data as the C# side.

Usage: /usr/bin/python3 ntk.py N Q D C LAMBDA OUT
  N training points and Q test points: rows 0..N-1 and N..N+Q-1 of the hashed (N+Q) x D matrix of
  Bench/Commands/LinalgProblems.cs (entries in [-0.5, 0.5), the same bits on both sides); targets one-hot over C
  classes, class of point i = ((37 i) mod 101) mod C; ridge LAMBDA.
The kernel is K(x, z) = <x, z> (pi - arccos(u)) / (2 pi), u = <x, z> / (|x| |z|) clipped to [-1, 1], with the norms
taken from the Gram diagonal and K's diagonal set to |x|^2 / 2 (as the C# builder does).
Times (one run each, after a warm-up on a small problem): the training kernel build, the KernelRidge fit, and the test
kernel build + predict. Writes the Q x C predictions to OUT (float64, row-major, raw) and prints one JSON object.
"""
import sys
import time

import numpy as np
from sklearn.kernel_ridge import KernelRidge

from common import emit
from linalg import hashed


def ntk(a, b, symmetric):
    g = a @ b.T
    if symmetric:
        norms_a = norms_b = np.sqrt(np.diag(g))
    else:
        norms_a = np.sqrt(np.einsum("ij,ij->i", a, a))
        norms_b = np.sqrt(np.einsum("ij,ij->i", b, b))
    inverse_a = np.divide(1.0, norms_a, out=np.zeros_like(norms_a), where=norms_a > 0)
    inverse_b = np.divide(1.0, norms_b, out=np.zeros_like(norms_b), where=norms_b > 0)
    u = np.clip(g * inverse_a[:, None] * inverse_b[None, :], -1.0, 1.0)
    k = g * (np.pi - np.arccos(u)) / (2 * np.pi)
    if symmetric:
        np.fill_diagonal(k, np.diag(g) / 2)
    return k


def run(n, q, d, c, lam):
    x = hashed(n + q, d)
    train, test = x[:n], x[n:]
    labels = ((37 * np.arange(n)) % 101) % c
    y = np.zeros((n, c))
    y[np.arange(n), labels] = 1.0
    t0 = time.perf_counter()
    k = ntk(train, train, True)
    t1 = time.perf_counter()
    model = KernelRidge(alpha=lam, kernel="precomputed").fit(k, y)
    t2 = time.perf_counter()
    predictions = model.predict(ntk(test, train, False))
    t3 = time.perf_counter()
    return predictions, t1 - t0, t2 - t1, t3 - t2


def main():
    n, q, d, c = (int(v) for v in sys.argv[1:5])
    lam = float(sys.argv[5])
    out = sys.argv[6]
    run(200, 10, d, c, lam)  # warm-up: imports, BLAS threads
    predictions, build, fit, predict = run(n, q, d, c, lam)
    np.ascontiguousarray(predictions, dtype=np.float64).tofile(out)
    emit({"build": build, "fit": fit, "predict": predict})


if __name__ == "__main__":
    main()
