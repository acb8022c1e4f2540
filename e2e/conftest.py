"""Browser journeys: Playwright driving Debian's Chromium against Django's live server."""

import os
import shutil

import pytest

from devdata import snapshot
from devdata.world import FAST_HASHERS

# Playwright's sync API runs an event loop; Django refuses ORM calls from it otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# CHROMIUM=/nonexistent runs the suite as on a machine without it (the journeys skipped).
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
    if not os.path.exists(CHROMIUM):
        if os.environ.get("E2E_REQUIRED"):
            raise pytest.UsageError(f"Chromium not found at {CHROMIUM}; browser tests are required.")
        skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


# Every journey runs at each of these viewports ("phone" is 375 x 812, a small phone);
# E2E_VIEWPORTS=desktop (or phone) narrows a local run. A test may pin one with
# @pytest.mark.parametrize("viewport_name", ["desktop"]).
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
}
ACTIVE_VIEWPORTS = [v for v in os.environ.get("E2E_VIEWPORTS", "desktop,phone").split(",") if v in VIEWPORTS]


@pytest.fixture(params=ACTIVE_VIEWPORTS)
def viewport_name(request):
    return request.param


@pytest.fixture
def context(new_context, viewport_name):
    return new_context(**VIEWPORTS[viewport_name])


@pytest.fixture
def page(context, viewport_name):
    """The page; at the phone viewport the page a journey ends on must not scroll sideways."""
    page = context.new_page()
    yield page
    if viewport_name == "phone" and not page.is_closed() and page.url.startswith("http"):
        from e2e.checks import horizontal_overflow

        overflow = horizontal_overflow(page)
        assert overflow == 0, f"{page.url} scrolls {overflow}px sideways at 375px"


@pytest.fixture
def demo(settings, demo_rows, migrated_rows, django_db_blocker):
    """The full demo data set, as `make run` shows it, committed for the live server; the
    database as the migrations left it is put back afterwards. Both come from memory, so a
    journey that writes leaves nothing to the next test."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    with django_db_blocker.unblock():
        snapshot.restore(demo_rows)
        yield
        snapshot.restore(migrated_rows)


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """pytest-django's own helper, with ``demo`` in place of ``transactional_db``: a journey
    starts from the demo put back from memory, not from an empty database flushed after it."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("demo")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


@pytest.fixture
def login(page, live_server):
    """login(username) -> the page, logged in through the real login form."""

    def do_login(username, password="DucCo@2017"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
        return page

    return do_login
