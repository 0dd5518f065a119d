"""The batched environment equals SyncVectorEnv of single environments, auto-reset included."""
import gymnasium as gym
import numpy as np
import pytest

import schemaarcade


@pytest.mark.parametrize("env_id, obs_type, options, steps", [
    ("breakout/small", "grid", {"pool": 2}, 3000),
    ("breakout/standard", "entities", {}, 1500),
    ("priors/original", "none", {}, 2100),  # past the 2,001-step cap: truncation and its auto-reset
])
def test_vector_equals_sync_vector_env(env_id, obs_type, options, steps):
    n = 8
    vector = schemaarcade.ArcadeVectorEnv(n, env_id, obs_type, threads=2, **options)
    sync = gym.vector.SyncVectorEnv([lambda: schemaarcade.ArcadeEnv(env_id, obs_type, **options)] * n)
    obs_v, info_v = vector.reset(seed=42)
    obs_s, info_s = sync.reset(seed=42)
    assert np.array_equal(obs_v, obs_s) and np.array_equal(info_v["lives"], info_s["lives"])
    rng = np.random.default_rng(0)
    ends = 0
    for _ in range(steps):
        actions = rng.integers(0, vector.single_action_space.n, n)
        a, b = vector.step(actions), sync.step(actions)
        for x, y in zip(a[:4], b[:4]):
            assert np.array_equal(x, y)
        assert np.array_equal(a[4]["lives"], b[4]["lives"])
        ends += int(np.sum(a[2] | a[3]))
    assert ends > 0
    vector.close()
    sync.close()


def test_make_vec_uses_the_batched_entry_point():
    envs = gym.make_vec("SchemaArcade/breakout-standard-v1", num_envs=64, vectorization_mode="vector_entry_point",
                        obs_type="grid", pool=4)
    assert isinstance(envs.unwrapped, schemaarcade.ArcadeVectorEnv)
    obs, info = envs.reset(seed=0)
    assert obs.shape == (64, *envs.single_observation_space.shape) and envs.observation_space.contains(obs)
    obs, rewards, terminated, truncated, info = envs.step(envs.action_space.sample())
    assert rewards.dtype == np.float64 and terminated.dtype == np.bool_ and info["lives"].shape == (64,)
    envs.close()


def test_threads_do_not_change_results():
    outs = []
    for threads in (1, 2):
        env = schemaarcade.ArcadeVectorEnv(33, "breakout/small", "grid", threads=threads)
        env.reset(seed=9)
        rng = np.random.default_rng(1)
        outs.append([env.step(rng.integers(0, 3, 33)) for _ in range(400)][-1])
    for x, y in zip(outs[0][:4], outs[1][:4]):
        assert np.array_equal(x, y)


def test_copy_false_returns_the_changed_cells_read_only():
    """With copy=False the grid is the env's own buffer, rewritten only where cells changed: it must still equal a
    fresh copy=True environment's every step, and refuse writes (a write would go stale)."""
    n = 16
    own = schemaarcade.ArcadeVectorEnv(n, "breakout/juggling", "grid", pool=4, threads=2, copy=False)
    fresh = schemaarcade.ArcadeVectorEnv(n, "breakout/juggling", "grid", pool=4, threads=1)
    obs_o, _ = own.reset(seed=3)
    obs_f, _ = fresh.reset(seed=3)
    assert np.array_equal(obs_o, obs_f)
    with pytest.raises(ValueError):
        obs_o[0, 0, 0, 0] = 1
    rng = np.random.default_rng(2)
    changed = 0
    for _ in range(600):
        actions = rng.integers(0, 3, n)
        before = obs_o.copy()
        a, b = own.step(actions), fresh.step(actions)
        assert a[0] is obs_o or np.shares_memory(a[0], obs_o)
        for x, y in zip(a[:4], b[:4]):
            assert np.array_equal(x, y)
        changed += int(not np.array_equal(before, a[0]))
    assert changed > 500
    own.close()
    fresh.close()
