#!/usr/bin/env python3
"""PyTorch's side of `arcade bench nn --torch PYTHON`: the same DQN learner step, timed on the CPU.

`arcade bench nn` runs this script after timing its own networks, so both figures come from one run on one
machine. One update is the learner step of a DQN (Mnih et al. 2015) as CleanRL and MinAtar write it: draw a
batch of indices into a random replay pool, turn the observations into float tensors, evaluate the target
network on the next states without gradients, the online network on the states, take Q(s, a), Huber loss,
backward, Adam. Greedy actions at batch 1 are timed too.

    python torch_reference.py minatar --threads 1 [--batch 32] [--seconds 3] [--reps 3]

Prints one JSON line: {"network", "batch", "threads", "parameters", "torch", "updatesPerSecond",
"actionsPerSecond"} with medians over the timed runs. Needs numpy and torch.
"""
import argparse
import json
import statistics
import time

import numpy as np
import torch
from torch import nn
from torch.nn import functional


class Case:
    """A network of the benchmark, its input and a random replay pool to sample from."""

    def __init__(self, name: str, batch: int, pool: int, rng: np.random.Generator):
        self.name = name
        if name == "minatar":   # 4 × 10 × 10 binary planes: Conv 16 3×3 → FC 128 → 3 (Young and Tian 2019)
            self.shape, self.actions = (4, 10, 10), 3
            layers = [nn.Conv2d(4, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(1024, 128), nn.ReLU(), nn.Linear(128, 3)]
            states = rng.random((pool,) + self.shape) < 0.1
        elif name == "nature":  # 4 × 84 × 84 bytes: the network of Mnih et al. (2015)
            self.shape, self.actions = (4, 84, 84), 4
            layers = [nn.Conv2d(4, 32, 8, 4), nn.ReLU(), nn.Conv2d(32, 64, 4, 2), nn.ReLU(),
                      nn.Conv2d(64, 64, 3, 1), nn.ReLU(), nn.Flatten(), nn.Linear(3136, 512), nn.ReLU(),
                      nn.Linear(512, 4)]
            states = rng.integers(0, 256, (pool,) + self.shape, dtype=np.uint8)
        elif name == "mlp":     # 100 floats → 256 → 256 → 4
            self.shape, self.actions = (100,), 4
            layers = [nn.Linear(100, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 4)]
            states = rng.standard_normal((pool,) + self.shape).astype(np.float32)
        else:
            raise SystemExit(f"unknown network '{name}': minatar, nature or mlp")
        self.online = nn.Sequential(*layers)
        self.target = nn.Sequential(*[type(layer)(*self._arguments(layer)) for layer in layers])
        self.target.load_state_dict(self.online.state_dict())
        self.optimizer = torch.optim.Adam(self.online.parameters(), lr=1e-4)
        self.batch, self.pool, self.rng = batch, pool, rng
        self.states = states
        self.taken = rng.integers(0, self.actions, pool)
        self.rewards = rng.random(pool).astype(np.float32)
        self.terminal = (rng.random(pool) < 0.01).astype(np.float32)

    @staticmethod
    def _arguments(layer):
        if isinstance(layer, nn.Conv2d):
            return layer.in_channels, layer.out_channels, layer.kernel_size, layer.stride
        if isinstance(layer, nn.Linear):
            return layer.in_features, layer.out_features
        return ()

    def tensor(self, rows: np.ndarray) -> torch.Tensor:
        values = torch.from_numpy(rows).float()
        return values / 255.0 if self.name == "nature" else values

    def update(self):
        index = self.rng.integers(0, self.pool - 1, self.batch)
        with torch.no_grad():
            best_next = self.target(self.tensor(self.states[index + 1])).max(dim=1).values
            target = torch.from_numpy(self.rewards[index]) + 0.99 * best_next * (1 - torch.from_numpy(self.terminal[index]))
        q = self.online(self.tensor(self.states[index]))
        chosen = q.gather(1, torch.from_numpy(self.taken[index]).unsqueeze(1)).squeeze(1)
        loss = functional.smooth_l1_loss(chosen, target)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()

    def act(self):
        i = int(self.rng.integers(0, self.pool))
        with torch.no_grad():
            return int(self.online(self.tensor(self.states[i:i + 1])).argmax(dim=1).item())


def calls_per_second(body, seconds: float) -> float:
    for _ in range(20):   # warm-up: allocator, kernels, caches
        body()
    calls, start = 0, time.perf_counter()
    while True:
        for _ in range(10):
            body()
        calls += 10
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return calls / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("network", choices=["minatar", "nature", "mlp"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch", type=int, default=0, help="default: 64 for mlp, 32 otherwise")
    parser.add_argument("--seconds", type=float, default=3.0, help="per timed run")
    parser.add_argument("--reps", type=int, default=3, help="timed runs; the median is reported")
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(0)
    batch = arguments.batch or (64 if arguments.network == "mlp" else 32)
    pool = 5_000 if arguments.network == "nature" else 50_000
    case = Case(arguments.network, batch, pool, np.random.default_rng(0))
    updates, actions = [], []
    for _ in range(arguments.reps):
        updates.append(calls_per_second(case.update, arguments.seconds))
        actions.append(calls_per_second(case.act, arguments.seconds / 3))
    print(json.dumps({
        "network": arguments.network, "batch": batch, "threads": arguments.threads,
        "parameters": sum(p.numel() for p in case.online.parameters()), "torch": torch.__version__,
        "updatesPerSecond": statistics.median(updates), "actionsPerSecond": statistics.median(actions),
    }))


if __name__ == "__main__":
    main()
