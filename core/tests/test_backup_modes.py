"""Backups hold households' personal data: written for their owner only, and a backup that
other users of the machine may read or change is not restored unless asked for.

The tests commit (transaction=True), as `manage.py backup` runs outside any transaction: a
backup through SQLite's API of a connection inside an open write transaction never ends."""

import stat

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.django_db(transaction=True)
def test_backup_file_is_the_owners_alone_in_a_folder_it_creates_for_them(tmp_path):
    folder = tmp_path / "backups"
    call_command("backup", str(folder / "portal.sqlite3"))
    assert mode(folder / "portal.sqlite3") == 0o600
    assert mode(folder) == 0o700


@pytest.mark.django_db(transaction=True)
def test_backup_over_a_readable_file_leaves_it_the_owners_alone(tmp_path):
    dump = tmp_path / "portal.sqlite3"
    dump.write_bytes(b"")
    dump.chmod(0o644)
    call_command("backup", str(dump))
    assert mode(dump) == 0o600 and dump.stat().st_size > 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("loose", [0o644, 0o640, 0o660, 0o604])
def test_restore_refuses_a_backup_others_may_read_or_change(tmp_path, loose):
    Group.objects.create(name="Tỉnh Gia Lai")
    dump = tmp_path / "portal.sqlite3"
    call_command("backup", str(dump))
    Group.objects.all().delete()
    dump.chmod(loose)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(dump), interactive=False)
    message = str(refused.value)
    assert "other users" in message and f"chmod 600 {dump}" in message and "--allow-readable" in message
    assert not Group.objects.exists()  # nothing was restored

    # Told to, it restores.
    call_command("restore", str(dump), interactive=False, allow_readable=True)
    assert Group.objects.filter(name="Tỉnh Gia Lai").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_of_a_private_backup_goes_ahead(tmp_path):
    Group.objects.create(name="Tỉnh Gia Lai")
    dump = tmp_path / "portal.sqlite3"
    call_command("backup", str(dump))
    Group.objects.all().delete()
    call_command("restore", str(dump), interactive=False)
    assert Group.objects.filter(name="Tỉnh Gia Lai").exists()
