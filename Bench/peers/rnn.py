"""Peer side of `compare rnn`: PyTorch's Elman RNN on the same weights and sequences as the C# side.

Usage: /usr/bin/python3 rnn.py check MODEL DATA
       /usr/bin/python3 rnn.py time MODEL DATA THREADS
MODEL is our ElmanRnn checkpoint (tensors W [m, m], A [m, dx], B [d, m]); DATA holds the sequences time-major
(inputs [L*N, dx], targets [(L-1)*N, d], L in the metadata as hp.L) and, for `check`, our loss [1] and dW [m, m]. Both files are in the
safetensors layout, parsed here with json + numpy.frombuffer (Debian's torch has no safetensors module).

The network: torch.nn.RNN(dx, m, nonlinearity='relu', bias=False) with weight_ih_l0 = A and weight_hh_l0 = W, then a
frozen output layer y = h @ B^T; loss = sum over steps 2..L of 0.5 * ||y - y*||^2; only W requires a gradient.
`check` prints the loss, dW and their relative differences from ours (|f - f_ours| / |f|, ||dW - dW_ours|| / ||dW||).
`time` sets torch.set_num_threads(THREADS) and times one SGD training step (zero_grad, forward, loss, backward,
optimizer step): median seconds over 11 samples, after warm-up.
"""
import json
import struct
import sys

import numpy as np
import torch

from common import emit, median_seconds

DTYPES = {"F32": np.float32, "F64": np.float64}


def load(path):
    """Tensors of a safetensors file as numpy arrays, and its metadata."""
    with open(path, "rb") as f:
        raw = f.read()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length])
    data = raw[8 + length:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
    return tensors, header.get("__metadata__", {})


def build(model_path, data_path):
    weights, _ = load(model_path)
    data, metadata = load(data_path)
    w, a, b = (torch.from_numpy(weights[k].copy()) for k in ("W", "A", "B"))
    m, dx = a.shape
    inputs = torch.from_numpy(data["inputs"].copy())
    targets = torch.from_numpy(data["targets"].copy())
    length = int(metadata["hp.L"])
    count = inputs.shape[0] // length
    rnn = torch.nn.RNN(dx, m, nonlinearity="relu", bias=False).to(w.dtype)
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(a)
        rnn.weight_hh_l0.copy_(w)
    rnn.weight_ih_l0.requires_grad_(False)
    output = torch.nn.Linear(m, b.shape[0], bias=False).to(w.dtype)
    with torch.no_grad():
        output.weight.copy_(b)
    output.weight.requires_grad_(False)
    x = inputs.reshape(length, count, dx)
    y = targets.reshape(length - 1, count, -1)
    return rnn, output, x, y, data


def loss_of(rnn, output, x, y):
    hidden, _ = rnn(x)
    residual = output(hidden[1:]) - y
    return 0.5 * (residual * residual).sum()


def check(model_path, data_path):
    rnn, output, x, y, data = build(model_path, data_path)
    loss = loss_of(rnn, output, x, y)
    loss.backward()
    grad = rnn.weight_hh_l0.grad.numpy().astype(np.float64)
    ours = data["ours_dW"].astype(np.float64)
    ours_loss = float(data["ours_loss"][0])
    f = float(loss.item())
    emit({
        "loss": f,
        "loss_relative": abs(f - ours_loss) / abs(f),
        "grad_norm": float(np.linalg.norm(grad)),
        "grad_relative": float(np.linalg.norm(grad - ours) / np.linalg.norm(grad)),
    })


def time_step(model_path, data_path, threads):
    torch.set_num_threads(threads)
    rnn, output, x, y, _ = build(model_path, data_path)
    optimizer = torch.optim.SGD([rnn.weight_hh_l0], lr=1e-6)

    def step():
        optimizer.zero_grad()
        loss = loss_of(rnn, output, x, y)
        loss.backward()
        optimizer.step()

    seconds = median_seconds(step, sample_time=0.2, samples=11)
    capability = [line.split(":", 1)[1].strip() for line in torch.__config__.show().splitlines() if "CPU capability usage" in line]
    emit({"seconds_per_step": seconds, "threads": torch.get_num_threads(), "cpu_capability": capability[0] if capability else "not reported"})


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "time":
        time_step(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        raise SystemExit(__doc__)
