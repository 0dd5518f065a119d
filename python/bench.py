#!/usr/bin/env python3
"""Steps per second of the Python binding: single environments through `gymnasium.make(...).step` and the batched
`ArcadeVectorEnv`, for every observation form, beside `arcade bench env` (native Swift, same copies and threads),
EnvPool's Breakout and MinAtar's Breakout when those are installed, all in one run.

    python python/bench.py [--env breakout/standard] [--envs 1024] [--threads 2] [--seconds 2] [--arcade PATH]

Prints one JSON line per measurement, then a table. Random actions are drawn before timing. Needs numpy,
gymnasium and schemaarcade; envpool and minatar are optional.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from pathlib import Path

import gymnasium as gym
import numpy as np

import schemaarcade

FORMS = [("none", {}), ("grid", {}), ("grid", {"pool": 4}), ("entities", {}), ("pixels", {}), ("pixels", {"size": 84})]
FORMS_HELP = "comma-separated labels to run (none,grid,grid/4,entities,pixels,pixels/84); default all"


def form_label(obs_type: str, options: dict) -> str:
    return obs_type + (f"/{options['pool']}" if "pool" in options else f"/{options['size']}" if "size" in options else "")


def timed(step, seconds: float) -> float:
    """Calls `step()` (which does `k` env-steps and returns `k`) for about `seconds`; best of three rounds, per second."""
    best = 0.0
    for _ in range(3):
        done, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 3:
            done += step()
        best = max(best, done / elapsed)
    return best


def single(env_id: str, obs_type: str, options: dict, seconds: float, unwrapped: bool = False) -> float:
    env = gym.make(schemaarcade.gym_id(env_id), obs_type=obs_type, **options)
    if unwrapped:
        env = env.unwrapped
    env.reset(seed=0)
    actions = np.random.default_rng(0).integers(0, env.action_space.n, 1000).tolist()
    step, reset = env.step, env.reset

    def run() -> int:
        for a in actions:
            _, _, terminated, truncated, _ = step(a)
            if terminated or truncated:
                reset()
        return len(actions)

    return timed(run, seconds)


def batched(env_id: str, obs_type: str, options: dict, envs: int, threads: int, seconds: float, copy: bool) -> float:
    env = schemaarcade.ArcadeVectorEnv(envs, env_id, obs_type, threads=threads, copy=copy, **options)
    env.reset(seed=0)
    actions = np.random.default_rng(0).integers(0, env.single_action_space.n, (16, envs))

    def run() -> int:
        for a in actions:
            env.step(a)
        return len(actions) * envs

    result = timed(run, seconds)
    env.close()
    return result


def native(arcade: str, env_id: str, obs_type: str, options: dict, envs: int, threads: int) -> float | None:
    command = [arcade, "bench", "env", "--env", env_id, "--obs", obs_type, "--envs", str(envs), "--threads", str(threads),
               "--steps", str(max(envs, 20_000_000 if obs_type == "none" else 100_000 if "size" in options else 2_000_000))]
    command += ["--pool", str(options["pool"])] if "pool" in options else []
    command += ["--size", str(options["size"])] if "size" in options else []
    try:
        return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)["stepsPerSecond"]
    except (OSError, subprocess.CalledProcessError, ValueError, KeyError):
        return None


def envpool_breakout(envs: int, threads: int, seconds: float) -> float | None:
    try:
        import envpool
    except ImportError:
        return None
    env = envpool.make("Breakout-v5", env_type="gymnasium", num_envs=envs, batch_size=envs, num_threads=threads)
    env.reset()
    actions = np.random.default_rng(0).integers(0, 4, (2, envs))

    def run() -> int:
        for a in actions:
            env.step(a)
        return len(actions) * envs

    return timed(run, seconds)


def minatar_breakout(seconds: float) -> float | None:
    try:
        from minatar import Environment
    except ImportError:
        return None
    env = Environment("breakout")
    env.reset()
    actions = np.random.default_rng(0).integers(0, env.num_actions(), 1000).tolist()

    def run() -> int:
        for a in actions:
            _, terminal = env.act(a)
            env.state()
            if terminal:
                env.reset()
        return len(actions)

    return timed(run, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env", default="breakout/standard")
    parser.add_argument("--envs", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    parser.add_argument("--forms", default="", help=FORMS_HELP)
    parser.add_argument("--no-others", action="store_true", help="skip EnvPool and MinAtar")
    default_arcade = Path(__file__).resolve().parents[1] / ".build/release/arcade"
    parser.add_argument("--arcade", default=os.environ.get("ARCADE_BIN", str(default_arcade)))
    args = parser.parse_args()
    rows = []

    def emit(**row) -> None:
        print(json.dumps(row), flush=True)
        rows.append(row)

    chosen = set(args.forms.split(",")) if args.forms else None
    for obs_type, options in FORMS:
        label = form_label(obs_type, options)
        if chosen is not None and label not in chosen:
            continue
        probe = schemaarcade.ArcadeEnv(args.env, obs_type, **options)
        bytes_per_obs = int(np.prod(probe.observation_space.shape)) * probe.observation_space.dtype.itemsize
        probe.close()
        emit(what="gym.make step", form=label, envs=1, threads=1, stepsPerSecond=single(args.env, obs_type, options, args.seconds))
        emit(what="ArcadeEnv step (unwrapped)", form=label, envs=1, threads=1,
             stepsPerSecond=single(args.env, obs_type, options, args.seconds, unwrapped=True))
        for copy in (True, False):
            emit(what=f"ArcadeVectorEnv step (copy={copy})", form=label, envs=args.envs, threads=args.threads,
                 bytesPerObservation=bytes_per_obs,
                 stepsPerSecond=batched(args.env, obs_type, options, args.envs, args.threads, args.seconds, copy))
        speed = native(args.arcade, args.env, obs_type, options, args.envs, args.threads)
        if speed is not None:
            emit(what="arcade bench env (native)", form=label, envs=args.envs, threads=args.threads, stepsPerSecond=speed)
    if args.no_others:
        return report(rows)
    pool_envs = min(args.envs, 256)  # an emulator per copy: 1,024 of them take minutes to reset on 2 cores
    if (speed := envpool_breakout(pool_envs, args.threads, args.seconds)) is not None:
        emit(what="EnvPool Breakout-v5 step", form="pixels 84x84x4", envs=pool_envs, threads=args.threads, stepsPerSecond=speed)
    if (speed := minatar_breakout(args.seconds)) is not None:
        emit(what="MinAtar breakout act+state", form="grid 10x10x4", envs=1, threads=1, stepsPerSecond=speed)
    report(rows)


def report(rows: list[dict]) -> None:
    print(f"\n{'what':<36} {'form':<15} {'envs':>5} {'threads':>7} {'steps/s':>14}")
    for row in rows:
        print(f"{row['what']:<36} {row['form']:<15} {row['envs']:>5} {row['threads']:>7} {row['stepsPerSecond']:>14,.0f}")


if __name__ == "__main__":
    main()
