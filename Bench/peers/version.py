"""Prints the versions of the peer libraries and the BLAS kernel they run on as JSON, for the headers of results files.

The kernel comes from threadpoolctl (installed by install.sh): OpenBLAS's 'architecture' is the kernel it picked
(e.g. Cooperlake or SkylakeX on an AVX-512 CPU, Haswell when forced onto AVX2 by OPENBLAS_CORETYPE). The environment
check records whether the variables that force a kernel reached this process (Bench/Harness/PeerRunner.cs removes them).
"""
import os

import numpy

from common import emit

versions = {"numpy": numpy.__version__}
for name in ("scipy", "sklearn", "torch"):
    try:
        versions[name] = __import__(name).__version__
    except ImportError:
        versions[name] = "not installed"
try:
    import scipy.linalg  # noqa: F401  (loads SciPy's BLAS, so threadpoolctl sees every BLAS a peer may call)
except ImportError:
    pass

try:
    from threadpoolctl import threadpool_info

    kernels = sorted({
        f"{info.get('internal_api', '?')} {info.get('version', '?')}, {info.get('architecture', '?')} kernel, "
        f"{info.get('threading_layer', '?')} threading"
        for info in threadpool_info() if info.get("user_api") == "blas"
    })
    versions["blas"] = "; ".join(kernels) or "no BLAS loaded"
except ImportError:
    versions["blas"] = "unknown (python3-threadpoolctl is not installed; run bash Bench/peers/install.sh)"

if versions["torch"] != "not installed":
    import torch

    config = torch.__config__.show().splitlines()
    versions["torch_blas"] = "; ".join(line.strip() for line in config if "BLAS" in line or "CPU capability" in line) or "not reported"

forced = [f"{name}={os.environ[name]}" for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if name in os.environ]
versions["forced_kernel"] = ", ".join(forced) if forced else "none"
emit(versions)
