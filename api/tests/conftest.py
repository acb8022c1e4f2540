"""The API tests' world: the permission matrix's (three communes in two districts, each with
registrations, households, sponsorships, a fund entry and activities of every kind) and
tokens of four scopes."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from api import services
from api.models import ApiToken
from organizations.models import OrgKind
from portal.tests.permission_cases import MatrixWorld


@pytest.fixture
def matrix(world, settings, tmp_path, replayed):
    settings.MEDIA_ROOT = tmp_path
    matrix = replayed("matrix", lambda: MatrixWorld(world), media=tmp_path)
    matrix.world = world
    return matrix


@dataclass
class Issued:
    token: ApiToken
    text: str

    @property
    def header(self) -> dict:
        return {"Authorization": f"Bearer {self.text}"}


def issue(world, organization, *, personal=False, days=30, name="Hệ thống thử") -> Issued:
    token, text = services.issue_token(
        name=name,
        organization=organization,
        expires_on=timezone.localdate() + datetime.timedelta(days=days),
        personal_data=personal,
        by=world.admin,
    )
    return Issued(token, text)


@pytest.fixture
def tokens(matrix):
    """Tokens of the Front of the district, the Front of Ia Dom, the Women's Union of Ia Dom,
    and one of the district's Front that expired yesterday."""
    world = matrix.world
    found = {
        "district_front": issue(world, world.org(world.district, OrgKind.FRONT)),
        "commune_front": issue(world, world.org(world.iadom, OrgKind.FRONT)),
        "commune_women": issue(world, world.org(world.iadom, OrgKind.WOMEN)),
        "expired": issue(world, world.org(world.district, OrgKind.FRONT)),
    }
    ApiToken.objects.filter(pk=found["expired"].token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    return found


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    """The rate limit counts in the cache (local memory in tests): each test starts at 0."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_get(client):
    """api_get(issued, path, **params) -> the response of GET /api/v1<path> with the token."""

    def get(issued, path, headers=None, **params):
        return Client().get(
            f"/api/v1{path}", params, headers={**(issued.header if issued else {}), **(headers or {})}
        )

    return get
