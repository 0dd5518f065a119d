"""What single and vector environments share: opening a handle and describing its observations and actions."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass

import numpy as np
from gymnasium import spaces

from typing import Callable

from ._lib import FORMS, LIB, check, env_ids, error, read_lines

#: Entity row columns (`obs_type="entities"`): `present` is 0 on padding rows.
ENTITY_COLUMNS = ("present", "id", "kind", "red", "green", "blue", "x", "y", "width", "height", "part_x", "part_y")


def form_code(obs_type: str, pool: int, size: int | None, expand_pixels: bool) -> tuple[int, int]:
    """`obs_type` and its option as the C interface's form code and parameter."""
    if obs_type not in FORMS:
        raise ValueError(f"schemaarcade: obs_type must be one of {sorted(FORMS)}, got {obs_type!r}")
    if obs_type == "grid":
        if not isinstance(pool, int) or pool < 1:
            raise ValueError(f"schemaarcade: pool must be a positive int, got {pool!r}")
        return 1, pool
    if obs_type == "pixels":
        if size is not None and (not isinstance(size, int) or size < 1):
            raise ValueError(f"schemaarcade: size must be a positive int or None, got {size!r}")
        return 3, size or 0
    return FORMS[obs_type], int(bool(expand_pixels))


@dataclass(frozen=True)
class HandleSpec:
    """The observation and action facts of a handle."""

    shape: tuple[int, ...]
    dtype: type
    bytes: int
    action_names: list[str]
    frame_shape: tuple[int, int, int]
    max_episode_steps: int

    @staticmethod
    def of(handle: int) -> "HandleSpec":
        dims = (ctypes.c_int64 * 3)()
        rank, dtype, size = ctypes.c_int32(), ctypes.c_int32(), ctypes.c_int64()
        check(LIB.arcade_observation_shape(handle, ctypes.addressof(dims), ctypes.addressof(rank),
                                           ctypes.addressof(dtype), ctypes.addressof(size)))
        height, width, steps = ctypes.c_int64(), ctypes.c_int64(), ctypes.c_int64()
        check(LIB.arcade_render_shape(handle, ctypes.addressof(height), ctypes.addressof(width)))
        check(LIB.arcade_max_episode_steps(handle, ctypes.addressof(steps)))
        names = read_lines(lambda text, capacity, needed: LIB.arcade_action_names(handle, text, capacity, needed))
        return HandleSpec(tuple(dims[: rank.value]), np.int32 if dtype.value == 1 else np.uint8, size.value, names,
                          (height.value, width.value, 3), steps.value)

    def observation_space(self, obs_type: str) -> spaces.Box:
        """The single-environment observation space of `obs_type`."""
        if obs_type == "entities":
            return spaces.Box(-(2**15), 2**15 - 1, self.shape, np.int32)
        high = 255 if obs_type == "pixels" else 1
        return spaces.Box(0, high, self.shape, np.uint8)


def open_handle(create: Callable[[int], int], env_id: str, context: str) -> int:
    """Calls `create(address of the handle)`; returns the handle or raises (an unknown id lists the known ones)."""
    handle = ctypes.c_uint64()
    status = create(ctypes.addressof(handle))
    if status == -2:
        raise error(status, f"{env_id!r}; registered ids: {', '.join(env_ids())}")
    check(status, context)
    return handle.value


class HandleOwner:
    """Frees `_handle` exactly once: on `_release()` (from `close`) or when collected."""

    _handle = 0

    def _release(self) -> None:
        if self._handle and LIB is not None:
            LIB.arcade_destroy(self._handle)
        self._handle = 0

    def __del__(self) -> None:
        self._release()
