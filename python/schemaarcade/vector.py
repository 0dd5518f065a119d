"""`ArcadeVectorEnv`: many copies of one environment stepped by one C call (`arcade_vec_step`)."""
from __future__ import annotations

import os
from typing import Any

import numpy as np
from gymnasium import spaces
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from ._lib import LIB, InvalidAction, check, error
from ._spec import HandleOwner, HandleSpec, form_code, open_handle
from .env import check_seed


class ArcadeVectorEnv(HandleOwner, VectorEnv):
    """`num_envs` copies of `env_id`, stepped together in Swift by `threads` worker threads.

    Equal to `gymnasium.vector.SyncVectorEnv` of `ArcadeEnv`s with the same arguments: next-step auto-reset
    (the step after an episode ends resets that copy, ignores its action and returns reward 0), and
    `reset(seed=s)` seeds copy `i` with `s + i`. `info["lives"]` is an int32 array. With `copy=False` the arrays
    returned are the environment's own buffers, overwritten by the next step (faster; copy what you keep), and the
    observations are a read-only view: the buffers are bound to the library once, and a grid step rewrites only the
    cells that changed.
    """

    metadata = {"autoreset_mode": AutoresetMode.NEXT_STEP, "render_modes": []}

    def __init__(self, num_envs: int, env_id: str = "breakout/standard", obs_type: str = "grid", pool: int = 1,
                 size: int | None = None, expand_pixels: bool = False, threads: int | None = None, copy: bool = True,
                 render_mode: str | None = None) -> None:
        if not isinstance(num_envs, int) or num_envs < 1:
            raise ValueError(f"schemaarcade: num_envs must be a positive int, got {num_envs!r}")
        if threads is None:  # a worker pays off only with enough copies to split (tens of microseconds per call)
            threads = max(1, min(os.cpu_count() or 1, num_envs // 128))
        form, parameter = form_code(obs_type, pool, size, expand_pixels)
        self._handle = open_handle(
            lambda out: LIB.arcade_vec_create(str(env_id).encode(), form, parameter, num_envs, threads, out), env_id,
            f"{env_id!r}, num_envs {num_envs}, threads {threads}")
        spec = HandleSpec.of(self._handle)
        self._spec = spec
        self.num_envs, self.env_id, self.obs_type, self.threads, self.copy = num_envs, str(env_id), obs_type, threads, copy
        self.render_mode = render_mode
        self.single_observation_space = spec.observation_space(obs_type)
        self.single_action_space = spaces.Discrete(len(spec.action_names))
        self.observation_space = batch_space(self.single_observation_space, num_envs)
        self.action_space = batch_space(self.single_action_space, num_envs)
        self._obs = np.zeros((num_envs, *spec.shape), spec.dtype)
        self._actions = np.zeros(num_envs, np.int64)
        self._rewards = np.zeros(num_envs, np.float64)
        self._terminated = np.zeros(num_envs, np.bool_)
        self._truncated = np.zeros(num_envs, np.bool_)
        self._lives = np.zeros(num_envs, np.int32)
        self._addresses = (self._handle, self._actions.ctypes.data, self._obs.ctypes.data if spec.bytes else None,
                           self._rewards.ctypes.data, self._terminated.ctypes.data, self._truncated.ctypes.data,
                           self._lives.ctypes.data)
        check(LIB.arcade_vec_bind(self._handle, *self._addresses[2:]))
        self._step_bound = LIB.arcade_vec_step_bound
        # What `copy=False` hands out: a view the caller cannot write into, because the library rewrites only the
        # cells that changed and relies on the rest still holding its last observation.
        self._obs_view = self._obs.view()
        self._obs_view.flags.writeable = False
        self._seeded = False

    def get_action_meanings(self) -> list[str]:
        """The action names in index order (ALE style)."""
        return list(self._spec.action_names)

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[np.ndarray, dict[str, Any]]:
        if isinstance(seed, (list, tuple)):
            raise TypeError("schemaarcade: ArcadeVectorEnv.reset takes one int seed (copy i gets seed + i) or None")
        check_seed(seed)
        super().reset(seed=None if seed is None else int(seed))
        if seed is None and not self._seeded:
            seed = int(self.np_random.integers(2**63))
        status = LIB.arcade_vec_reset(self._handle, 0 if seed is None else int(seed), seed is not None,
                                      self._addresses[2], self._addresses[6])
        check(status)
        self._seeded = True
        return (self._obs.copy() if self.copy else self._obs_view), {"lives": self._lives.copy()}

    def step(self, actions: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        try:
            self._actions[:] = actions
        except (TypeError, ValueError, OverflowError) as failure:
            raise InvalidAction(-5, f"actions must be {self.num_envs} ints: {failure}") from None
        status = self._step_bound(self._handle, self._addresses[1])
        if status < 0:
            raise error(status, f"actions {actions!r}, valid actions are 0 .. {self.single_action_space.n - 1}")
        if not self.copy:
            return self._obs_view, self._rewards, self._terminated, self._truncated, {"lives": self._lives}
        return (self._obs.copy(), self._rewards.copy(), self._terminated.copy(), self._truncated.copy(),
                {"lives": self._lives.copy()})

    def close_extras(self, **kwargs: Any) -> None:
        self._release()
