"""`make run`: the demo force on SQLite. DEBUG stays off unless VIGIL_DEBUG=1."""

from .base import *  # noqa: F403
