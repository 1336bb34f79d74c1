"""Peer side of `compare kernels`: NumPy on OpenBLAS timing the same kernels and sizes as the C# side.

Usage: /usr/bin/python3 kernels.py CASE [CASE ...]
A CASE is op:type:size, e.g. gemm:float32:1024, gemv_t:float32:2048, dot:float64:4099.
The thread count is set by the caller through OPENBLAS_NUM_THREADS before NumPy loads.
Prints one JSON object {case: median seconds per call}.
"""
import os
import sys

import numpy as np

from common import emit, median_seconds


def run(case):
    op, dtype, size = case.split(":")
    n = int(size)
    rng = np.random.default_rng(12345)
    if op == "gemm":
        a = rng.random((n, n), dtype=np.float64).astype(dtype) - 0.5
        b = rng.random((n, n), dtype=np.float64).astype(dtype) - 0.5
        c = np.empty((n, n), dtype=dtype)
        return median_seconds(lambda: np.matmul(a, b, out=c))
    if op in ("gemv_n", "gemv_t"):
        a = rng.random((n, n), dtype=np.float64).astype(dtype) - 0.5
        x = rng.random(n, dtype=np.float64).astype(dtype)
        y = np.empty(n, dtype=dtype)
        m = a if op == "gemv_n" else a.T
        return median_seconds(lambda: np.matmul(m, x, out=y), sample_time=0.02)
    if op == "dot":
        x = rng.random(n, dtype=np.float64).astype(dtype)
        y = rng.random(n, dtype=np.float64).astype(dtype)
        return median_seconds(lambda: np.dot(x, y), sample_time=0.02 if n < 1_000_000 else 0.2)
    raise SystemExit(f"unknown case {case}")


if __name__ == "__main__":
    emit({case: run(case) for case in sys.argv[1:]} | {"threads": os.environ.get("OPENBLAS_NUM_THREADS", "default")})
