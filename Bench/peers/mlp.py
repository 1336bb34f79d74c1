"""The dense 784-1000-10 MLP of seed 001 in PyTorch, trained like Kernels' SgdTrainer on the same data.

Arguments: data file, epochs, batch, learning rate, decay, momentum, keep rate, threads, seeds (comma-separated; one net
is trained per seed from torch.manual_seed(seed)). The data file (written by
Bench/Experiments/HashedNetsExperiment.cs): int32 n_train, n_test, d; float32 train X (n_train x d), int32 train y,
float32 test X, int32 test y. Training: each epoch a fresh random order, batches of `batch`, Linear -> ReLU ->
Dropout(1 - keep) -> Linear, mean cross-entropy, torch.optim.SGD(momentum) with lr * decay**epoch. Prints JSON:
samples_per_second (training steps only, evaluation excluded, over all seeds), test_errors (one per seed), config.
"""
import sys
import time

import numpy as np
import torch

from common import emit

path, epochs, batch, lr, decay, momentum, keep, threads, seeds = sys.argv[1:10]
epochs, batch, threads = int(epochs), int(batch), int(threads)
lr, decay, momentum, keep = float(lr), float(decay), float(momentum), float(keep)
seeds = [int(seed) for seed in seeds.split(",")]
torch.set_num_threads(threads)

raw = np.fromfile(path, dtype=np.uint8)
n_train, n_test, d = np.frombuffer(raw[:12], dtype="<i4")
offset = 12


def take(count, dtype):
    global offset
    size = count * np.dtype(dtype).itemsize
    array = np.frombuffer(raw[offset:offset + size], dtype=dtype)
    offset += size
    return array


x_train = torch.from_numpy(take(n_train * d, "<f4").reshape(n_train, d).copy())
y_train = torch.from_numpy(take(n_train, "<i4").astype(np.int64))
x_test = torch.from_numpy(take(n_test * d, "<f4").reshape(n_test, d).copy())
y_test = torch.from_numpy(take(n_test, "<i4").astype(np.int64))

trained = 0.0
samples = 0
errors = []
for seed in seeds:
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(int(d), 1000), torch.nn.ReLU(), torch.nn.Dropout(1 - keep), torch.nn.Linear(1000, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    loss_function = torch.nn.CrossEntropyLoss()
    for epoch in range(epochs):
        for group in optimizer.param_groups:
            group["lr"] = lr * decay ** epoch
        model.train()
        order = torch.randperm(int(n_train))
        start = time.perf_counter()
        for b in range(0, int(n_train), batch):
            rows = order[b:b + batch]
            optimizer.zero_grad(set_to_none=False)
            loss = loss_function(model(x_train[rows]), y_train[rows])
            loss.backward()
            optimizer.step()
        trained += time.perf_counter() - start
        samples += int(n_train)
    model.eval()
    with torch.no_grad():
        errors.append((model(x_test).argmax(dim=1) != y_test).sum().item() / int(n_test))
# The build line is long; keep what decides the speed of an MLP: the vector ISA in use and the BLAS / oneDNN it was built with.
shown = torch.__config__.show()
capability = [line.strip(" -") for line in shown.splitlines() if "CPU capability" in line]
settings = [item.strip() for line in shown.splitlines() if "Build settings" in line for item in line.split(":", 1)[1].split(",")]
kept = [item for item in settings if item.split("=")[0] in ("BLAS_INFO", "LAPACK_INFO", "USE_MKLDNN", "USE_OPENMP")]
# The BLAS torch actually called, and the kernel it picked (threadpoolctl, installed by install.sh): the brief asks
# for the peer's kernel, which torch's build line does not name.
try:
    from threadpoolctl import threadpool_info

    blas = sorted({
        f"{info.get('internal_api', '?')} {info.get('version', '?')}, {info.get('architecture', '?')} kernel"
        for info in threadpool_info() if info.get("user_api") == "blas"
    })
    kept.append("BLAS loaded: " + ("; ".join(blas) or "none"))
except ImportError:
    kept.append("BLAS loaded: unknown (python3-threadpoolctl is not installed)")
emit({
    "samples_per_second": samples / trained,
    "test_errors": errors,
    "config": f"torch {torch.__version__}, {torch.get_num_threads()} threads; " + "; ".join(capability + kept),
})
