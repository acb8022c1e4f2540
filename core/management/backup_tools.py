"""Backup and restore of the database named by DATABASE_URL (used by the ``backup`` and
``restore`` commands).

PostgreSQL: ``pg_dump -Fc`` and ``pg_restore --clean --if-exists --single-transaction``
(all or nothing). SQLite: a page-by-page copy through SQLite's online backup API, which
is a file copy that stays consistent while the portal is running.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

from django.db import connections

POSTGRES_BIN = [Path("/usr/bin"), Path("/usr/lib/postgresql/15/bin")]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for folder in POSTGRES_BIN:
        if (folder / name).exists():
            return str(folder / name)
    raise FileNotFoundError(f"{name} not found: install the PostgreSQL client tools")


def vendor(alias: str = "default") -> str:
    return connections[alias].vendor


def _pg_args_and_env(alias: str) -> tuple[list[str], dict[str, str]]:
    conf = connections[alias].settings_dict
    args = []
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    env = {**os.environ}
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return args, env


def backup(path: Path, alias: str = "default") -> Path:
    # A backup holds personal data (households, ID numbers): readable by its owner only,
    # from before the first byte is written.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)
    connection = connections[alias]
    if connection.vendor == "postgresql":
        args, env = _pg_args_and_env(alias)
        subprocess.run(  # noqa: S603 - fixed tool, arguments from settings, no shell
            [_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges", "--file", str(path)]
            + [connection.settings_dict["NAME"]],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
    else:
        raise NotImplementedError(f"no backup for {connection.vendor}")
    return path


class SharedBackup(Exception):
    """A backup that other users of the machine may read or change."""


def refuse_if_shared(path: Path) -> None:
    """Refuse a backup that users other than its owner may read or change (any group or
    other permission bit): it holds personal data, and one that others can change may not be
    what `backup` wrote. Raises FileNotFoundError for a missing file."""
    if not path.is_file():
        raise FileNotFoundError(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SharedBackup(
            f"{path} can be read or changed by other users (mode {mode:o}): a backup holds personal "
            f"data. Make it its owner's alone (chmod 600 {path}) and check who saw it, or restore it "
            "anyway with --allow-readable."
        )


def restore(path: Path, alias: str = "default", *, allow_readable: bool = False) -> None:
    if not allow_readable:
        refuse_if_shared(path)
    if not path.is_file():
        raise FileNotFoundError(path)
    connection = connections[alias]
    if connection.vendor == "postgresql":
        # Our own connection must not hold locks on the tables pg_restore drops.
        connection.close()
        args, env = _pg_args_and_env(alias)
        subprocess.run(  # noqa: S603 - fixed tool, arguments from settings, no shell
            [
                _tool("pg_restore"),
                *args,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                connection.settings_dict["NAME"],
                str(path),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)
        source.close()
    else:
        raise NotImplementedError(f"no restore for {connection.vendor}")
