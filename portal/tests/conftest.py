"""The permission matrix's world (``MatrixWorld``) and sessions, shared by the tests that walk
every URL."""

import copy

import pytest
from django.conf import settings as django_settings
from django.test import Client

from devdata import snapshot

from .permission_cases import ANON, ROLES, MatrixWorld


@pytest.fixture(scope="session")
def _matrix_rows():
    """What the first ``matrix`` of the session (per xdist worker) inserted, the files it
    saved and the MatrixWorld itself; valid while ``world`` is written from the same rows."""
    return {}


@pytest.fixture
def matrix(world, settings, tmp_path, _world_rows, _matrix_rows):
    """MatrixWorld over the test's world, its evidence files and document attachments under
    the test's own MEDIA_ROOT. Built by the first test; the next get its rows from memory
    (one statement per table instead of 433) and a copy of its files."""
    settings.MEDIA_ROOT = tmp_path
    if _matrix_rows.get("world") is _world_rows["rows"]:
        snapshot.insert(_matrix_rows["rows"])
        for name, content in _matrix_rows["files"].items():
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_bytes(content)
        matrix = copy.deepcopy(_matrix_rows["matrix"])
        matrix.world = world
        return matrix
    before = snapshot.take()
    matrix = MatrixWorld(world)
    _matrix_rows.update(
        world=_world_rows["rows"],
        rows=snapshot.added(before, snapshot.take()),
        files={str(p.relative_to(tmp_path)): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()},
        matrix=copy.deepcopy(matrix),
    )
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
