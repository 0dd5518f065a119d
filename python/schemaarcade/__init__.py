"""SchemaArcade's environments for Python: every registered id as a Gymnasium environment, at native speed.

    import gymnasium as gym
    import schemaarcade  # registers SchemaArcade/<family>-<variant>-v1 for every id

    env = gym.make("SchemaArcade/breakout-middle-wall-v1", obs_type="grid", pool=4)
    obs, info = env.reset(seed=7)
    obs, reward, terminated, truncated, info = env.step(1)  # LEFT
    envs = gym.make_vec("SchemaArcade/breakout-standard-v1", num_envs=1024, vectorization_mode="vector_entry_point")

The games run in Swift (`Sources/CArcade`, bundled as a shared library) through ctypes.
"""
from __future__ import annotations

import gymnasium as gym

from ._lib import ABI_VERSION, ArcadeError, InvalidAction, InvalidHandle, UnknownEnvironment, env_ids
from ._spec import ENTITY_COLUMNS
from .env import ArcadeEnv
from .vector import ArcadeVectorEnv

__all__ = ["ABI_VERSION", "ENTITY_COLUMNS", "ArcadeEnv", "ArcadeError", "ArcadeVectorEnv", "InvalidAction", "InvalidHandle",
           "UnknownEnvironment", "env_ids", "gym_id", "register_all"]
__version__ = "0.1.0"

NAMESPACE = "SchemaArcade"
VERSION = 1


def gym_id(env_id: str) -> str:
    """The Gymnasium id of `family/variant`: `SchemaArcade/family-variant-v1`."""
    return f"{NAMESPACE}/{env_id.replace('/', '-')}-v{VERSION}"


def register_all() -> list[str]:
    """Registers every environment with Gymnasium (done on import); returns the Gymnasium ids.

    The registrations keep Gymnasium's default wrappers (the order check and the passive environment checker,
    which only inspects the first calls); truncation happens inside the environment, so no `TimeLimit` is added.
    """
    ids = []
    for env_id in env_ids():
        name = gym_id(env_id)
        if name not in gym.registry:
            gym.register(id=name, entry_point="schemaarcade.env:ArcadeEnv",
                         vector_entry_point="schemaarcade.vector:ArcadeVectorEnv", kwargs={"env_id": env_id})
        ids.append(name)
    return ids


register_all()
