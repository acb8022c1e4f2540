"""The permission matrix's world (``MatrixWorld``) and sessions, shared by the tests that walk
every URL."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from .permission_cases import ANON, ROLES, MatrixWorld


@pytest.fixture
def matrix(world, settings, tmp_path, replayed):
    """MatrixWorld over the test's world, its evidence files and document attachments under
    the test's own MEDIA_ROOT; built once per session (``replayed``: 433 queries)."""
    settings.MEDIA_ROOT = tmp_path
    matrix = replayed("matrix", lambda: MatrixWorld(world), media=tmp_path)
    matrix.world = world
    return matrix


@pytest.fixture
def sessions(world):
    """One logged-in session per role, made once; each case reuses its cookie."""
    keys = {}
    for role in ROLES:
        if role != ANON:
            client = Client()
            client.force_login(world.users[role])
            keys[role] = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return keys
