"""The same seed gives the same trajectory in Python as in `arcade rollout` (compared through `--digest`)."""
import os
import struct
import subprocess
from pathlib import Path

import pytest

import schemaarcade

MASK = 2**64 - 1
ROOT = Path(__file__).resolve().parents[2]


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def derive(seed, index):
    """SplitMix64.derive of EnvironmentCore."""
    return mix((mix(seed) + ((index + 1) * 0xD1B54A32D192ED03 & MASK)) & MASK)


class SplitMix64:
    """EnvironmentCore's generator, for the random agent's choices."""

    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        return mix(self.state)

    def below(self, bound):  # Lemire's multiply-shift with rejection, as nextInt(below:)
        product = self.next() * bound
        if product & MASK < bound:
            threshold = (2**64 - bound) % bound
            while product & MASK < threshold:
                product = self.next() * bound
        return product >> 64


class Digest:
    """`arcade rollout --digest`: FNV-1a over 64-bit words (action, reward bits, outcome, lives) per step."""

    def __init__(self):
        self.value = 0xCBF29CE484222325

    def fold(self, word):
        self.value = ((self.value ^ (word & MASK)) * 0x100000001B3) & MASK

    def step(self, action, reward, terminated, truncated, lives):
        for word in (action, struct.unpack("<Q", struct.pack("<d", reward))[0], 1 if terminated else 2 if truncated else 0,
                     lives):
            self.fold(word)


def python_digest(env_id, seed, episodes):
    env = schemaarcade.ArcadeEnv(env_id, obs_type="grid")
    digest = Digest()
    for i in range(episodes):
        episode_seed = derive(seed, i)
        env.reset(seed=episode_seed)
        agent = SplitMix64(derive(episode_seed, 0xA9E47))
        while True:
            action = agent.below(int(env.action_space.n))
            _, reward, terminated, truncated, info = env.step(action)
            digest.step(action, reward, terminated, truncated, info["lives"])
            if terminated or truncated:
                break
    return f"{digest.value:016x}"


def arcade_binary():
    for candidate in (os.environ.get("ARCADE_BIN"), ROOT / ".build/release/arcade", ROOT / ".build/debug/arcade"):
        if candidate and Path(candidate).exists():
            return str(candidate)
    pytest.skip("no arcade binary: set ARCADE_BIN or build it")


@pytest.mark.parametrize("env_id, seed, episodes", [
    ("breakout/standard", 0, 5), ("breakout/half-negative", 7, 3), ("priors/original", 3, 2), ("priors/continual", 1, 2),
])
def test_trajectory_digest_matches_arcade_rollout(env_id, seed, episodes):
    out = subprocess.run([arcade_binary(), "rollout", "--env", env_id, "--seed", str(seed), "--episodes", str(episodes),
                          "--digest"], check=True, capture_output=True, text=True, cwd=ROOT).stdout
    line = next(line for line in out.splitlines() if line.startswith("trajectory digest "))
    assert python_digest(env_id, seed, episodes) == line.split()[-1]
