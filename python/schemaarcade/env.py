"""`ArcadeEnv`: one SchemaArcade environment as a Gymnasium environment."""
from __future__ import annotations

import ctypes
from typing import Any, SupportsFloat

import gymnasium as gym
import numpy as np

from ._lib import LIB, InvalidAction, check, error
from ._spec import HandleOwner, HandleSpec, form_code, open_handle


def check_seed(seed: Any) -> None:
    """Raises a clear error unless `seed` is `None` or an int in `0 .. 2**64 - 1` (the environments' seed type)."""
    if seed is None:
        return
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"schemaarcade: seed must be an int or None, got {type(seed).__name__}")
    if not 0 <= int(seed) < 2**64:
        raise ValueError(f"schemaarcade: seed must be in 0 .. 2**64 - 1, got {seed}")


class ArcadeEnv(HandleOwner, gym.Env[np.ndarray, np.int64]):
    """A registered SchemaArcade environment (`env_id` = `family/variant`, e.g. `breakout/middle-wall`).

    `obs_type` picks the observation: `"grid"` (0/1 bytes, channels × rows × columns, max-pooled by `pool`),
    `"pixels"` (RGB, height × width × 3, area-averaged to `size` × `size` when given), `"entities"` (int32 rows
    of `ENTITY_COLUMNS`, one per object or per object pixel with `expand_pixels`, zero rows after the last) or
    `"none"` (an empty array, for timing the dynamics). Actions are `Discrete` indices into
    `get_action_meanings()` (ALE names). `info["lives"]` holds the lives left. Episodes end with `terminated`
    (won or out of lives) or `truncated` at the variant's step cap, as in the Swift API: the same seed gives the
    same trajectory as `arcade rollout`. `reset(seed=None)` continues the environment's seed stream.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 30}

    def __init__(self, env_id: str = "breakout/standard", obs_type: str = "grid", pool: int = 1, size: int | None = None,
                 expand_pixels: bool = False, render_mode: str | None = None) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"schemaarcade: render_mode must be None or 'rgb_array', got {render_mode!r}")
        form, parameter = form_code(obs_type, pool, size, expand_pixels)
        self._handle = open_handle(lambda out: LIB.arcade_create(str(env_id).encode(), form, parameter, out), env_id,
                                   repr(env_id))
        self.env_id, self.obs_type, self.render_mode = str(env_id), obs_type, render_mode
        spec = HandleSpec.of(self._handle)
        self._spec = spec
        self.observation_space = spec.observation_space(obs_type)
        self.action_space = gym.spaces.Discrete(len(spec.action_names))
        self._obs = np.zeros(spec.shape, spec.dtype)
        self._out = (ctypes.c_double * 2)()
        self._obs_address = self._obs.ctypes.data if spec.bytes else None
        check(LIB.arcade_bind(self._handle, self._obs_address, ctypes.addressof(self._out)))
        self._step_bound = LIB.arcade_step_bound
        self._copy = spec.bytes > 0
        self._seeded = False

    @property
    def max_episode_steps(self) -> int:
        """The variant's step cap (truncation happens inside the environment)."""
        return self._spec.max_episode_steps

    def get_action_meanings(self) -> list[str]:
        """The action names in index order (ALE style: `NOOP`, `LEFT`, `RIGHT`, ...)."""
        return list(self._spec.action_names)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[np.ndarray, dict[str, Any]]:
        check_seed(seed)
        super().reset(seed=None if seed is None else int(seed))
        if seed is None and not self._seeded:
            seed = int(self.np_random.integers(2**63))
        status = LIB.arcade_reset(self._handle, 0 if seed is None else int(seed), seed is not None, self._obs_address)
        check(status)
        self._seeded = True
        return (self._obs.copy() if self._copy else self._obs), {"lives": self.lives()}

    def lives(self) -> int:
        """Lives left in the episode (ALE's `lives()`)."""
        lives = ctypes.c_int32()
        check(LIB.arcade_lives(self._handle, ctypes.addressof(lives)))
        return lives.value

    def step(self, action: Any) -> tuple[np.ndarray, SupportsFloat, bool, bool, dict[str, Any]]:
        try:
            flags = self._step_bound(self._handle, action)
        except ctypes.ArgumentError:
            raise InvalidAction(-5, f"action {action!r} is not an int") from None
        if flags < 0:
            raise error(flags, f"action {action!r}, valid actions are 0 .. {self.action_space.n - 1}")
        return (self._obs.copy() if self._copy else self._obs), self._out[0], flags & 1 == 1, flags & 2 == 2, {"lives": flags >> 2}

    def render(self) -> np.ndarray | None:  # type: ignore[override]
        """The current frame as RGB (height × width × 3) when `render_mode="rgb_array"`."""
        if self.render_mode != "rgb_array":
            return None
        frame = np.zeros(self._spec.frame_shape, np.uint8)
        check(LIB.arcade_render(self._handle, frame.ctypes.data))
        return frame

    def close(self) -> None:
        self._release()
