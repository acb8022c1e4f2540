"""What a production deployment runs: collectstatic with the manifest storage, and the
health check when the database is gone."""

from django.db import OperationalError, connection

from .test_hardening import PRODUCTION_ENV
from .test_settings import _manage


def test_collectstatic_works_in_production(tmp_path):
    # The manifest storage refuses a file that names a missing one (a source map, say).
    code = (
        "from django.conf import settings; from django.core.management import call_command; "
        f"settings.STATIC_ROOT = {str(tmp_path)!r}; "
        "call_command('collectstatic', interactive=False, verbosity=0); print('collected')"
    )
    result = _manage("shell", "-c", code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "staticfiles.json").exists()


def test_healthz_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with monkeypatch.context() as patch:  # undone before the test database is cleaned up
        patch.setattr(connection, "cursor", unreachable)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_healthz_needs_no_login_and_sets_no_cookie(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and not response.cookies
