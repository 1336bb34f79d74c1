"""Peer side of `compare sketching`: scikit-learn's SparseRandomProjection and SciPy's Clarkson-Woodruff transform
on the matrices the C# side wrote to files, so both sides sketch the same data.

Usage: /usr/bin/python3 sketching.py CASE [CASE ...]
  srp:PREFIX:ROWS:DENSITY  X = the CSR matrix in PREFIX.{shape,indptr,indices,data} (samples x features, float64);
                           times SparseRandomProjection(n_components=ROWS, density=DENSITY, dense_output=True).transform(X)
                           after fit(X): X @ R.T with R sparse, a dense samples x ROWS result.
  cwt:PREFIX:ROWS:DTYPE    A = the dense row-major matrix in PREFIX.{shape,data} (DTYPE: float64 or float32);
                           times scipy.linalg.clarkson_woodruff_transform(A, ROWS, seed), which draws S and computes S @ A.
Files: .shape holds int64 (rows, cols); .indptr and .indices int32; .data float64 (or the case's DTYPE), all little-endian raw arrays.
Prints one JSON object {case: median seconds per call}. Threads: SciPy's sparse products are single-threaded.
"""
import sys

import numpy as np
import scipy.sparse as sp
from scipy.linalg import clarkson_woodruff_transform
from sklearn.random_projection import SparseRandomProjection

from common import emit, median_seconds


def read_csr(prefix):
    rows, cols = np.fromfile(prefix + ".shape", dtype="<i8")
    indptr = np.fromfile(prefix + ".indptr", dtype="<i4")
    indices = np.fromfile(prefix + ".indices", dtype="<i4")
    data = np.fromfile(prefix + ".data", dtype="<f8")
    return sp.csr_matrix((data, indices, indptr), shape=(rows, cols))


def read_dense(prefix, dtype):
    rows, cols = np.fromfile(prefix + ".shape", dtype="<i8")
    return np.fromfile(prefix + ".data", dtype=np.dtype(dtype).newbyteorder("<")).reshape(rows, cols)


def run(case):
    kind, prefix, *rest = case.split(":")
    if kind == "srp":
        x = read_csr(prefix)
        projection = SparseRandomProjection(n_components=int(rest[0]), density=float(rest[1]), dense_output=True, random_state=0)
        projection.fit(x)
        return median_seconds(lambda: projection.transform(x), sample_time=0.2)
    if kind == "cwt":
        a = read_dense(prefix, rest[1])
        seed = [0]

        def sketch():
            seed[0] += 1
            clarkson_woodruff_transform(a, int(rest[0]), seed=seed[0])

        return median_seconds(sketch, sample_time=0.2)
    raise SystemExit(f"unknown case {case}")


if __name__ == "__main__":
    emit({case: run(case) for case in sys.argv[1:]})
