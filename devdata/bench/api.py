"""The API's measurements for bench/run.py: a page of 100 households read with a token, and
every household of the province pulled page by page (the province's systems do that
nightly). The API adds no data: it reads what the other builders made.

Both are jobs, not pages: the runner's pages are requested with a session, the API with a
token. Each job issues its own token (to bench.front, the province's Front reviewer) and
revokes it when done; the rate limit is lifted for the pull."""

from __future__ import annotations

import datetime
import statistics
import time
from pathlib import Path

from django.test import Client, override_settings
from django.utils import timezone

FLOOR_URL = "/accounts/login/"
PAGE = 100
PULL_PAGE = 500
REQUESTS = 20


def load(context: dict) -> None:
    """Nothing to generate: the API reads the other apps' data."""


def _token(user):
    from api import services

    organization = user.memberships.select_related("organization").get().organization
    return services.issue_token(
        name="Đo hiệu năng (bench)",
        organization=organization,
        expires_on=timezone.localdate() + datetime.timedelta(days=1),
        personal_data=False,
        by=user,
    )


def _revoke(token, user) -> None:
    from api import services

    services.revoke_token(token=token, by=user)


def _resident_mb() -> float:
    """The process's resident memory now (Linux), read without slowing the pull down as
    tracing every allocation would."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS not found")


def _median_ms(get, url: str, requests: int) -> float:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def page_of_households(user, requests: int = REQUESTS) -> dict:
    """A page of 100 households with a token, against the login page (the floor) measured
    beside it: the target is 10× the floor."""
    token, text = _token(user)
    api = Client(headers={"Authorization": f"Bearer {text}"})
    floor = Client()
    try:
        with override_settings(API_RATE_LIMIT_PER_MINUTE=10**9):
            for _ in range(2):  # warm-up
                api.get(f"/api/v1/households?page_size={PAGE}")
            page_ms = _median_ms(api.get, f"/api/v1/households?page_size={PAGE}", requests)
            floor_ms = _median_ms(floor.get, FLOOR_URL, requests)
    finally:
        _revoke(token, user)
    return {"page_ms": page_ms, "floor_ms": floor_ms, "ratio_to_floor": page_ms / floor_ms}


def pull_every_household(user, page_size: int = PULL_PAGE, repeat: int = 5) -> dict:
    """Every household the token sees, page after page along the cursor: the time of each
    page (the first and the last compared over ``repeat`` requests each) and the memory the
    pull holds (the process's resident memory after the first pages and at the end)."""
    token, text = _token(user)
    api = Client(headers={"Authorization": f"Bearer {text}"})
    url = f"/api/v1/households?page_size={page_size}"
    rows = pages = 0
    cursors: list[str | None] = [None]
    try:
        with override_settings(API_RATE_LIMIT_PER_MINUTE=10**9):
            started = time.perf_counter()
            cursor = None
            early_mb = None
            while True:
                body = api.get(url + (f"&cursor={cursor}" if cursor else "")).json()
                rows += len(body["items"])
                pages += 1
                if pages == 10:
                    early_mb = _resident_mb()
                cursor = body["next_cursor"]
                if cursor is None:
                    break
                cursors.append(cursor)
            total_s = time.perf_counter() - started
            end_mb = _resident_mb()
            first_ms = _median_ms(api.get, url, repeat)
            last = cursors[-1]
            last_ms = _median_ms(api.get, url + (f"&cursor={last}" if last else ""), repeat)
    finally:
        _revoke(token, user)
    return {
        "rows": float(rows),
        "pages": float(pages),
        "seconds": total_s,
        "first_page_ms": first_ms,
        "last_page_ms": last_ms,
        "last_over_first": last_ms / first_ms,
        "memory_growth_mb": end_mb - (early_mb if early_mb is not None else end_mb),
        "resident_mb": end_mb,
    }


def jobs(users: dict) -> list[dict]:
    front = users["bench.front"]
    return [
        {
            "label": f"API: a page of {PAGE} households (token)",
            "run": lambda: page_of_households(front),
            "targets": {"ratio_to_floor": 10},
        },
        {
            "label": "API: every household, page by page",
            # The last page no slower than the first (with some noise), memory flat.
            "run": lambda: pull_every_household(front),
            "targets": {"last_over_first": 1.5, "memory_growth_mb": 20},
        },
    ]
