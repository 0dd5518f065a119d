"""Every registered id and form passes Gymnasium's checker and behaves like a Gymnasium environment."""
import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import schemaarcade
from conftest import IDS


def test_every_id_is_registered():
    assert len(IDS) >= 19
    for env_id in IDS:
        assert schemaarcade.gym_id(env_id) in gym.registry
    assert schemaarcade.gym_id("breakout/middle-wall") == "SchemaArcade/breakout-middle-wall-v1"


@pytest.mark.parametrize("env_id", IDS)
def test_check_env(env_id, form):
    obs_type, options = form
    env = gym.make(schemaarcade.gym_id(env_id), obs_type=obs_type, render_mode="rgb_array", **options)
    check_env(env.unwrapped, skip_render_check=False)
    env.close()


def test_spaces_actions_lives_and_render():
    env = gym.make("SchemaArcade/breakout-standard-v1", obs_type="grid", pool=4, render_mode="rgb_array")
    assert env.unwrapped.get_action_meanings() == ["NOOP", "LEFT", "RIGHT"]
    assert env.action_space == gym.spaces.Discrete(3)
    obs, info = env.reset(seed=3)
    assert obs.dtype == np.uint8 and obs.shape == env.observation_space.shape and set(np.unique(obs)) <= {0, 1}
    assert info == {"lives": 3}
    frame = env.render()
    assert frame.dtype == np.uint8 and frame.ndim == 3 and frame.shape[2] == 3 and frame.any()
    lives = [3]
    for t in range(5000):
        obs, reward, terminated, truncated, info = env.step(t % 3)
        lives.append(info["lives"])
        if terminated or truncated:
            break
    assert terminated and lives[-1] == 0 and sorted(lives, reverse=True) == lives
    env.close()


def test_pixels_match_render_and_entities_are_padded():
    env = schemaarcade.ArcadeEnv("breakout/standard", obs_type="pixels", render_mode="rgb_array")
    obs, _ = env.reset(seed=1)
    assert np.array_equal(obs, env.render())
    entities = schemaarcade.ArcadeEnv("breakout/standard", obs_type="entities")
    rows, _ = entities.reset(seed=1)
    present = rows[:, 0] == 1
    assert rows.shape[1] == len(schemaarcade.ENTITY_COLUMNS) and present.any() and not rows[~present].any()


def test_same_seed_same_trajectory_and_none_continues_the_stream():
    def run(env, seed):
        out = [env.reset(seed=seed)[0]]
        for t in range(300):
            obs, reward, terminated, truncated, _ = env.step((t * 7) % 3)
            out += [obs, reward, terminated, truncated]
            if terminated or truncated:
                out.append(env.reset()[0])
        return out

    a = schemaarcade.ArcadeEnv("breakout/offset-paddle", obs_type="grid")
    b = schemaarcade.ArcadeEnv("breakout/offset-paddle", obs_type="grid")
    for x, y in zip(run(a, 11), run(b, 11)):
        assert np.array_equal(x, y)
    first = a.reset(seed=5)[0]
    assert any(not np.array_equal(first, a.reset()[0]) for _ in range(5))
