"""`make run`: the demo force on SQLite. DEBUG stays off unless VIGIL_DEBUG=1."""

from .base import *  # noqa: F403

# E-mails are printed where `make run` runs, not sent.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
