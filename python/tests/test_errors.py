"""Bad ids, actions, seeds and arguments raise clear Python exceptions; handles do not leak."""
import gc
import os

import gymnasium as gym
import numpy as np
import pytest

import schemaarcade


def test_bad_ids():
    with pytest.raises(schemaarcade.UnknownEnvironment, match="unknown environment id.*breakout/nope.*breakout/standard"):
        schemaarcade.ArcadeEnv("breakout/nope")
    with pytest.raises(ValueError, match="unknown environment id"):
        schemaarcade.ArcadeVectorEnv(4, "nonsense")
    with pytest.raises(gym.error.Error):
        gym.make("SchemaArcade/breakout-nope-v1")


@pytest.mark.parametrize("action", [3, -1, 2**40, 1.5, "LEFT", None])
def test_bad_actions(action):
    env = schemaarcade.ArcadeEnv("breakout/standard", obs_type="none")
    env.reset(seed=0)
    with pytest.raises(schemaarcade.InvalidAction, match="action"):
        env.step(action)
    env.step(np.int64(2))  # numpy integers are fine


def test_bad_vector_actions():
    env = schemaarcade.ArcadeVectorEnv(4, "breakout/small", "none")
    env.reset(seed=0)
    with pytest.raises(schemaarcade.InvalidAction, match="action out of range"):
        env.step([0, 1, 2, 3])
    with pytest.raises(schemaarcade.InvalidAction):
        env.step([0, 1])
    env.step([0, 1, 2, 0])


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (2**64, ValueError), (1.5, TypeError), ("7", TypeError)])
def test_bad_seeds(seed, error):
    env = schemaarcade.ArcadeEnv("breakout/standard")
    with pytest.raises(error, match="seed"):
        env.reset(seed=seed)
    env.reset(seed=2**64 - 1)


def test_bad_arguments_and_closed_handles():
    with pytest.raises(ValueError, match="obs_type"):
        schemaarcade.ArcadeEnv("breakout/standard", obs_type="rgb")
    with pytest.raises(ValueError, match="pool"):
        schemaarcade.ArcadeEnv("breakout/standard", obs_type="grid", pool=0)
    with pytest.raises(ValueError, match="num_envs"):
        schemaarcade.ArcadeVectorEnv(0, "breakout/standard")
    env = schemaarcade.ArcadeEnv("breakout/standard")
    with pytest.raises(schemaarcade.ArcadeError, match="before the first reset"):
        env.step(0)
    with pytest.raises(gym.error.ResetNeeded):
        gym.make("SchemaArcade/breakout-standard-v1").step(0)
    env.reset(seed=0)
    env.close()
    env.close()
    with pytest.raises(schemaarcade.InvalidHandle, match="invalid handle"):
        env.step(0)


def rss_bytes():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_no_leak_over_10000_create_destroy_cycles():
    def cycles(n):
        for _ in range(n):
            env = schemaarcade.ArcadeEnv("breakout/standard", obs_type="grid", pool=4)
            env.reset(seed=1)
            env.step(1)
            env.close()
            vector = schemaarcade.ArcadeVectorEnv(2, "priors/original", "pixels", size=16)
            vector.close()
        gc.collect()

    cycles(1000)
    before = rss_bytes()
    cycles(10_000)
    growth = rss_bytes() - before
    assert growth < 4 * 2**20, f"RSS grew by {growth / 2**20:.1f} MiB over 10,000 cycles"


def test_threads_create_step_and_destroy_their_own_environments():
    import threading

    def play(seed, out):
        total = 0.0
        for _ in range(20):
            env = schemaarcade.ArcadeEnv("breakout/small", obs_type="grid")
            env.reset(seed=seed)
            for t in range(300):
                _, reward, terminated, truncated, _ = env.step(t % 3)
                total += reward
                if terminated or truncated:
                    env.reset()
            env.close()
        out[seed] = total

    alone, together = {}, {}
    for seed in range(4):
        play(seed, alone)
    threads = [threading.Thread(target=play, args=(seed, together)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert together == alone
