#!/usr/bin/env python3
"""CleanRL-style DQN on SchemaArcade's `breakout/standard` through the Python binding: the cross-check of the
native DQN (`arcade train --agent dqn`, `agents/dqn.yaml`).

Same network and settings as agents/dqn.yaml: the grid max-pooled 4x (planes ball, paddle, wall, brick: 4 x 30 x 24),
frames t and t-4 stacked (8 planes), one 4x4 stride-4 convolution with 32 filters, a 128-unit layer and a dueling
head; Munchausen double DQN (scale 0.9, temperature 0.03), 3-step targets cut at a lost life, Huber loss, Adam 2e-4,
gradient norm 10, batch 32, an update every 4 steps, the target network copied every 1,000 updates' worth of steps,
epsilon from 1 to 0.01 over 250k steps, 20k steps before learning, a 200k replay (states stored as bits).

    python python/examples/dqn_breakout.py --total-steps 3000000 [--seed 1] [--threads 1]

Prints a JSON line per 10k steps (steps/s, mean return of the last 100 episodes) and a last line with an evaluation
of the greedy policy (epsilon 0.001, the native evaluation's setting) over --eval-episodes episodes.
"""
from __future__ import annotations

import argparse
import collections
import json
import time

import gymnasium as gym
import numpy as np
import torch
from torch import nn
from torch.nn import functional

import schemaarcade  # noqa: F401  (registers the environments)

PLANES = [0, 1, 2, 3]  # ball, paddle, wall, brick: the grid's channel order for Breakout (void is last)


class QNetwork(nn.Module):
    """agents/dqn.yaml: conv 32 4x4/4 -> FC 128 -> dueling value + centred advantages."""

    def __init__(self, planes: int, height: int, width: int, actions: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(planes, 32, 4, stride=4)
        flat = 32 * (height // 4) * (width // 4)
        self.hidden = nn.Linear(flat, 128)
        self.value = nn.Linear(128, 1)
        self.advantage = nn.Linear(128, actions)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = functional.relu(self.hidden(functional.relu(self.conv(x)).flatten(1)))
        advantage = self.advantage(h)
        return self.value(h) + advantage - advantage.mean(1, keepdim=True)


class Replay:
    """A ring of (state, action, n-step return, discount, next state) with states packed to bits."""

    def __init__(self, size: int, shape: tuple[int, ...]) -> None:
        self.shape, self.size, self.count, self.next = shape, size, 0, 0
        packed = (int(np.prod(shape)) + 7) // 8
        self.states = np.zeros((size, packed), np.uint8)
        self.next_states = np.zeros((size, packed), np.uint8)
        self.actions = np.zeros(size, np.int64)
        self.returns = np.zeros(size, np.float32)
        self.discounts = np.zeros(size, np.float32)

    def add(self, state, action, ret, discount, next_state) -> None:
        i = self.next
        self.states[i], self.next_states[i] = np.packbits(state), np.packbits(next_state)
        self.actions[i], self.returns[i], self.discounts[i] = action, ret, discount
        self.next, self.count = (i + 1) % self.size, min(self.count + 1, self.size)

    def sample(self, batch: int, rng: np.random.Generator):
        idx = rng.integers(0, self.count, batch)
        n = int(np.prod(self.shape))

        def unpack(rows):
            return torch.from_numpy(np.unpackbits(rows, axis=1, count=n).reshape(batch, *self.shape).astype(np.float32))

        return (unpack(self.states[idx]), torch.from_numpy(self.actions[idx]), torch.from_numpy(self.returns[idx]),
                torch.from_numpy(self.discounts[idx]), unpack(self.next_states[idx]))


class Stacker:
    """Frames t and t - stride of the chosen planes, as the native agent's frameStack 2, stackStride 4."""

    def __init__(self, stride: int = 4) -> None:
        self.history: collections.deque = collections.deque(maxlen=stride + 1)

    def reset(self, obs: np.ndarray) -> np.ndarray:
        frame = obs[PLANES]
        self.history.clear()
        self.history.extend([frame] * self.history.maxlen)
        return self.state()

    def push(self, obs: np.ndarray) -> np.ndarray:
        self.history.append(obs[PLANES])
        return self.state()

    def state(self) -> np.ndarray:
        return np.concatenate([self.history[-1], self.history[0]])


def munchausen_target(args, online, target, states, actions, returns, discounts, next_states) -> torch.Tensor:
    """r + alpha * max(tau * log pi(a|s), -1) + gamma^n * sum_a' pi(a'|s') (Q'(s', a') - tau * log pi(a'|s'))."""
    tau, alpha = args.temperature, args.munchausen
    with torch.no_grad():
        next_q = target(next_states)
        next_log_pi = functional.log_softmax(next_q / tau, dim=1)
        soft_value = (next_log_pi.exp() * (next_q - tau * next_log_pi)).sum(1)
        log_pi = functional.log_softmax(target(states) / tau, dim=1).gather(1, actions[:, None]).squeeze(1)
        bonus = alpha * torch.clamp(tau * log_pi, min=-1.0)
        return returns + bonus + discounts * soft_value


def evaluate(net: QNetwork, env_id: str, episodes: int, seed: int) -> float:
    env = gym.make(env_id, obs_type="grid", pool=4)
    rng, stacker, total = np.random.default_rng(seed), Stacker(), 0.0
    for e in range(episodes):
        obs, _ = env.reset(seed=seed + 10_000 + e)
        state, done = stacker.reset(obs), False
        while not done:
            if rng.random() < 0.001:
                action = int(rng.integers(env.action_space.n))
            else:
                with torch.no_grad():
                    action = int(net(torch.from_numpy(state[None].astype(np.float32))).argmax())
            obs, reward, terminated, truncated, _ = env.step(action)
            total += float(reward)
            state, done = stacker.push(obs), terminated or truncated
    return total / episodes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env-id", default="SchemaArcade/breakout-standard-v1")
    parser.add_argument("--total-steps", type=int, default=3_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--buffer-size", type=int, default=200_000)
    parser.add_argument("--gamma", type=float, default=0.99)
    parser.add_argument("--n-step", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learning-starts", type=int, default=20_000)
    parser.add_argument("--train-frequency", type=int, default=4)
    parser.add_argument("--target-network-frequency", type=int, default=1_000)
    parser.add_argument("--exploration-steps", type=int, default=250_000)
    parser.add_argument("--final-epsilon", type=float, default=0.01)
    parser.add_argument("--munchausen", type=float, default=0.9)
    parser.add_argument("--temperature", type=float, default=0.03)
    parser.add_argument("--eval-episodes", type=int, default=30)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    env = gym.make(args.env_id, obs_type="grid", pool=4)
    actions = int(env.action_space.n)
    _, height, width = env.observation_space.shape
    online, target = QNetwork(2 * len(PLANES), height, width, actions), QNetwork(2 * len(PLANES), height, width, actions)
    target.load_state_dict(online.state_dict())
    optimizer = torch.optim.Adam(online.parameters(), lr=args.learning_rate, eps=1e-8)
    replay = Replay(args.buffer_size, (2 * len(PLANES), height, width))
    stacker, pending = Stacker(), collections.deque()  # pending: (state, action, reward) not yet n steps old

    obs, info = env.reset(seed=args.seed)
    state, lives, episode_return, returns = stacker.reset(obs), info["lives"], 0.0, collections.deque(maxlen=100)
    start = time.perf_counter()
    for step in range(1, args.total_steps + 1):
        epsilon = max(args.final_epsilon, 1 - (1 - args.final_epsilon) * step / args.exploration_steps)
        if rng.random() < epsilon:
            action = int(rng.integers(actions))
        else:
            with torch.no_grad():
                action = int(online(torch.from_numpy(state[None].astype(np.float32))).argmax())
        obs, reward, terminated, truncated, info = env.step(action)
        next_state = stacker.push(obs)
        episode_return += float(reward)
        life_lost = info["lives"] < lives
        lives = info["lives"]
        pending.append((state, action, float(reward)))
        cut = terminated or life_lost  # the TD target ends at a lost life (episodicLife) or the episode's end
        while pending and (len(pending) == args.n_step or cut or truncated):
            ret = sum(r * args.gamma**k for k, (_, _, r) in enumerate(pending))
            discount = 0.0 if cut else args.gamma ** len(pending)
            first_state, first_action, _ = pending.popleft()
            replay.add(first_state, first_action, ret, discount, next_state)
            if not (cut or truncated):
                break
        state = next_state
        if terminated or truncated:
            returns.append(episode_return)
            obs, info = env.reset()
            state, lives, episode_return = stacker.reset(obs), info["lives"], 0.0

        if step > args.learning_starts and step % args.train_frequency == 0:
            batch = replay.sample(args.batch_size, rng)
            targets = munchausen_target(args, online, target, *batch)
            q = online(batch[0]).gather(1, batch[1][:, None]).squeeze(1)
            loss = functional.huber_loss(q, targets)
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(online.parameters(), 10.0)
            optimizer.step()
        if step % args.target_network_frequency == 0:
            target.load_state_dict(online.state_dict())
        if step % 10_000 == 0 or step == args.total_steps:
            print(json.dumps({"step": step, "stepsPerSecond": round(step / (time.perf_counter() - start), 1),
                              "episodes": len(returns), "meanReturn100": float(np.mean(returns)) if returns else None,
                              "epsilon": round(epsilon, 3)}), flush=True)
    seconds = time.perf_counter() - start
    score = evaluate(online, args.env_id, args.eval_episodes, args.seed)
    print(json.dumps({"env": args.env_id, "steps": args.total_steps, "seconds": round(seconds, 1),
                      "stepsPerSecond": round(args.total_steps / seconds, 1), "evalEpisodes": args.eval_episodes,
                      "evalMeanReturn": score}))


if __name__ == "__main__":
    main()
