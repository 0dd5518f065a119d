"""The bundled C library (`Sources/CArcade/include/arcade.h`), loaded once with ctypes.

Every function gets its argument and result types here: a handle passed as ctypes' default `int` would be cut to
32 bits. Pointer arguments are declared `c_void_p` and given as cached integer addresses (the cheapest ctypes
conversion). ctypes releases the GIL during each call, so different handles may be stepped from different threads.
"""
from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

ABI_VERSION = 2

#: `ARCADE_FORM_*` of the header, by the `obs_type` names Python uses.
FORMS = {"none": 0, "grid": 1, "entities": 2, "pixels": 3}


class ArcadeError(RuntimeError):
    """A status the C library returned, with its message."""

    def __init__(self, status: int, context: str = "") -> None:
        self.status = status
        message = LIB.arcade_status_message(status).decode()
        super().__init__(f"schemaarcade: {message} (status {status}){': ' + context if context else ''}")


class InvalidAction(ArcadeError, ValueError):
    """An action outside `0 .. action_space.n - 1`."""


class UnknownEnvironment(ArcadeError, ValueError):
    """An id no registered environment has."""


class InvalidHandle(ArcadeError):
    """Use of an environment after `close()`."""


_ERRORS: dict[int, type[ArcadeError]] = {-5: InvalidAction, -2: UnknownEnvironment, -4: InvalidHandle}


def error(status: int, context: str = "") -> ArcadeError:
    """The exception for a negative status."""
    return _ERRORS.get(status, ArcadeError)(status, context)


def check(status: int, context: str = "") -> int:
    """Returns `status`, or raises its exception when it is negative."""
    if status < 0:
        raise error(status, context)
    return status


def _library_path() -> Path:
    override = os.environ.get("SCHEMAARCADE_LIBRARY")
    if override:
        return Path(override)
    name = "libCArcade.dylib" if sys.platform == "darwin" else "libCArcade.so"
    return Path(__file__).with_name(name)


def _load() -> ctypes.CDLL:
    path = _library_path()
    if not path.exists():
        raise ImportError(f"schemaarcade: the compiled library {path} is missing; install with `pip install ./python`")
    lib = ctypes.CDLL(str(path))
    u64, i64, i32, ptr = ctypes.c_uint64, ctypes.c_int64, ctypes.c_int32, ctypes.c_void_p
    signatures = {
        "arcade_version": ([], i32),
        "arcade_status_message": ([i32], ctypes.c_char_p),
        "arcade_env_ids": ([ptr, i64, ptr], i32),
        "arcade_create": ([ctypes.c_char_p, i32, i32, ptr], i32),
        "arcade_vec_create": ([ctypes.c_char_p, i32, i32, i32, i32, ptr], i32),
        "arcade_destroy": ([u64], i32),
        "arcade_reset": ([u64, u64, i32, ptr], i32),
        "arcade_step": ([u64, i64, ptr, ptr], i32),
        "arcade_bind": ([u64, ptr, ptr], i32),
        "arcade_step_bound": ([u64, i64], i32),
        "arcade_render": ([u64, ptr], i32),
        "arcade_lives": ([u64, ptr], i32),
        "arcade_observation_shape": ([u64, ptr, ptr, ptr, ptr], i32),
        "arcade_render_shape": ([u64, ptr, ptr], i32),
        "arcade_action_names": ([u64, ptr, i64, ptr], i32),
        "arcade_max_episode_steps": ([u64, ptr], i32),
        "arcade_vec_reset": ([u64, u64, i32, ptr, ptr], i32),
        "arcade_vec_step": ([u64, ptr, ptr, ptr, ptr, ptr, ptr], i32),
        "arcade_vec_bind": ([u64, ptr, ptr, ptr, ptr, ptr], i32),
        "arcade_vec_step_bound": ([u64, ptr], i32),
    }
    for name, (argtypes, restype) in signatures.items():
        function = getattr(lib, name)
        function.argtypes = argtypes
        function.restype = restype
    version = lib.arcade_version()
    if version != ABI_VERSION:
        raise ImportError(f"schemaarcade: {path} has interface version {version}, this package needs {ABI_VERSION}")
    return lib


LIB = _load()


def read_lines(fill) -> list[str]:
    """Calls a C function that writes newline-separated text (`fill(buffer, capacity, needed)`); returns the lines."""
    needed = ctypes.c_int64(0)
    fill(None, 0, ctypes.addressof(needed))
    buffer = ctypes.create_string_buffer(needed.value)
    check(fill(ctypes.addressof(buffer), needed.value, ctypes.addressof(needed)))
    text = buffer.value.decode()
    return text.split("\n") if text else []


def env_ids() -> list[str]:
    """Every registered environment id, `family/variant`."""
    return read_lines(LIB.arcade_env_ids)
