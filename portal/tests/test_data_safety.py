"""Data safety: a multi-row write that fails half way leaves nothing behind, and the demo
data survives a backup, a wipe and a restore unchanged."""

import hashlib
import stat

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from devdata import snapshot
from organizations import services
from organizations.models import Membership, Organization, OrgKind, Role, Unit, User
from programs.models import Program, ProgramContent

# ---------------------------------------------------------------- failure in the middle


class Boom(Exception):
    pass


def _explode(*args, **kwargs):
    raise Boom("injected failure")


def test_create_area_failing_after_the_unit_leaves_nothing(world, monkeypatch):
    units, organizations = Unit.objects.count(), Organization.objects.count()
    monkeypatch.setattr(services, "ensure_organizations", _explode)
    with pytest.raises(Boom):
        services.create_area(commune=world.iadom, name="Thôn Mới", by=world.mttq_iadom)
    assert Unit.objects.count() == units and Organization.objects.count() == organizations
    assert not Unit.objects.filter(name="Thôn Mới").exists()


@pytest.mark.django_db(transaction=True)
def test_create_area_failing_through_the_view_commits_nothing(world, monkeypatch):
    """With real commits (no test transaction around it): the request's write is undone."""
    units, organizations = Unit.objects.count(), Organization.objects.count()
    original = Organization.objects.bulk_create

    def half_then_fail(objs, *args, **kwargs):
        original(objs[:2], *args, **kwargs)  # some branches are written, then it breaks
        raise Boom("injected failure")

    monkeypatch.setattr(Organization.objects, "bulk_create", half_then_fail)
    client = Client(raise_request_exception=False)
    client.force_login(world.mttq_iadom)
    response = client.post(reverse("organizations:area_create", args=[world.iadom.pk]), {"name": "Thôn Mới"})
    assert response.status_code == 500
    assert Unit.objects.count() == units and Organization.objects.count() == organizations


def test_create_account_failing_after_the_user_leaves_nothing(world, monkeypatch):
    users = User.objects.count()
    monkeypatch.setattr(Membership.objects, "create", _explode)
    with pytest.raises(Boom):
        services.create_account(
            username="moi.iadom",
            full_name="Ksor Y Thu",
            email="",
            organization=world.org(world.iadom, OrgKind.YOUTH),
            role=Role.EDITOR,
            password="Tam-thoi-2017!",
            by=world.mttq_huyen,
        )
    assert User.objects.count() == users and not User.objects.filter(username="moi.iadom").exists()


def test_update_account_failing_after_the_user_keeps_the_old_values(world, monkeypatch):
    account = world.phunu_iadom
    monkeypatch.setattr(Membership.objects, "update_or_create", _explode)
    with pytest.raises(Boom):
        services.update_account(
            user=account,
            full_name="Tên khác",
            email="khac@example.vn",
            organization=world.org(world.iadom, OrgKind.FRONT),
            role=Role.EDITOR,
            by=world.mttq_huyen,
        )
    account.refresh_from_db()
    assert account.full_name == "phunu.iadom" and account.email == ""
    # The membership the update had deleted before failing is still there.
    assert Membership.objects.filter(user=account, organization__kind=OrgKind.WOMEN).exists()


def test_rename_area_failing_half_way_keeps_every_name(world, monkeypatch):
    area = world.iadom_areas[0]
    names = set(Organization.objects.filter(unit=area).values_list("name", flat=True))
    calls = {"n": 0}
    original = Organization.save

    def save_twice_then_fail(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 2:
            raise Boom("injected failure")
        original(self, *args, **kwargs)

    monkeypatch.setattr(Organization, "save", save_twice_then_fail)
    with pytest.raises(Boom):
        services.rename_area(area=area, name="Làng Mới", by=world.mttq_iadom)
    area.refresh_from_db()
    assert area.name == "Làng 1"
    assert set(Organization.objects.filter(unit=area).values_list("name", flat=True)) == names


# ---------------------------------------------------------------- backup and restore

KEY_TABLES = {
    Unit: ["id", "name", "level", "official_code", "parent_id", "path", "is_active"],
    Organization: ["id", "kind", "unit_id", "name"],
    User: ["id", "username", "full_name", "password", "is_active", "is_superuser"],
    Membership: ["id", "user_id", "organization_id", "role", "title"],
    Program: ["id", "owner_unit_id", "title", "start_year", "end_year"],
    ProgramContent: ["id", "program_id", "kind", "order", "title"],
}


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def checksums() -> dict[str, str]:
    return {
        model._meta.label: hashlib.sha256(
            repr(list(model._default_manager.order_by("pk").values_list(*fields))).encode()
        ).hexdigest()
        for model, fields in KEY_TABLES.items()
    }


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_gives_back_the_same_data(tmp_path, demo_rows):
    snapshot.restore(demo_rows)  # the demo, committed
    counts, sums = row_counts(), checksums()
    assert counts["organizations.Unit"] > 50 and counts["organizations.User"] >= 7
    dump = tmp_path / "portal.dump"
    call_command("backup", str(dump))
    assert dump.stat().st_size > 0
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600  # personal data: the owner's alone

    call_command("flush", interactive=False)
    assert User.objects.count() == 0 and Unit.objects.count() == 0

    call_command("restore", str(dump), interactive=False)
    assert row_counts() == counts
    assert checksums() == sums
    # The restored portal works: the demo accounts log in and see their commune.
    client = Client()
    client.force_login(User.objects.get(username="mttq.iadom"))
    assert "Xã Ia Dom" in client.get(reverse("home")).content.decode()


def test_restore_of_a_missing_file_fails_cleanly(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "none.dump"), interactive=False)
