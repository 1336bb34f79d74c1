#!/usr/bin/env bash
# Installs the peer libraries the side-by-side experiments run against, from Debian's packages:
# NumPy on OpenBLAS (pthreads), SciPy and scikit-learn, and threadpoolctl, which reports the BLAS kernel a peer
# used (each results table records it). The scripts here always run /usr/bin/python3, since another python3 may
# come first on PATH. Bench/Harness/PeerRunner.cs starts every peer without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE,
# so OpenBLAS picks its kernel for this CPU; to try a peer by hand the same way:
#   env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 Bench/peers/version.py
set -euo pipefail
packages=(python3-numpy python3-scipy python3-sklearn python3-threadpoolctl libopenblas0-pthread)
if [ "${1:-}" = "--with-torch" ]; then
  packages+=(python3-torch)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi
/usr/bin/python3 -c "import numpy, scipy, sklearn, threadpoolctl; print('peers ready: numpy', numpy.__version__, 'scipy', scipy.__version__, 'sklearn', sklearn.__version__, 'threadpoolctl', threadpoolctl.__version__)"
