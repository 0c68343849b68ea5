"""Local development and the `make run` demo: SQLite, console e-mail, media served."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
