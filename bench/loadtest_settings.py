"""Production settings for the load test, with static files collected into a temp folder."""

import os

from portal.settings import *  # noqa: F403

STATIC_ROOT = os.environ["LOADTEST_STATIC_ROOT"]
