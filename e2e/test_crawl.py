"""One page of each kind the demo accounts reach, opened in Chromium at both viewports:
no serious or critical axe-core violation, Vietnamese text, dd/mm/yyyy, grouped numbers, no
sideways scroll on a phone.

The pages are those of the test client's crawl (``demo_pages``: every page each account
reaches by links, each already checked for its text and its answer); of each kind (same path
but for numbers) the browser opens the first one found, as the first account that found it.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.test import Client

from e2e.checks import axe_violations, horizontal_overflow, kind_of, text_findings
from organizations.models import User


def one_page_of_each_kind(demo_pages) -> dict[str, list[str]]:
    """{username: [paths]}: the first page of each kind, under the first account to reach it."""
    chosen: dict[str, tuple[str, str]] = {}
    for username, (visited, _) in demo_pages.items():
        for path in visited:
            chosen.setdefault(kind_of(path), (username, path))
    pages = defaultdict(list)
    for username, path in chosen.values():
        pages[username].append(path)
    return pages


def test_crawl_every_kind_of_page_is_accessible_and_fits(demo_pages, live_server, context, viewport_name):
    problems: dict[str, list[str]] = {}
    checked = 0
    for username, paths in one_page_of_each_kind(demo_pages).items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.clear_cookies()
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("load")
            checked += 1
            found = list(text_findings(page))
            found += [
                f"axe {v['impact']} {v['id']} ({v['help']}) x{v['count']}: {v['targets']}"
                for v in axe_violations(page)
            ]
            if viewport_name == "phone" and (overflow := horizontal_overflow(page)):
                found.append(f"scrolls {overflow}px sideways at 375px")
            if found:
                problems[f"{path} ({username})"] = found
        page.close()
    print(f"\n[crawl] {viewport_name}: {checked} kinds of page checked in Chromium")
    report = "\n".join(f"{page}:\n    " + "\n    ".join(found) for page, found in problems.items())
    assert checked >= 20, f"too few kinds of page: {checked}"
    assert not problems, f"{viewport_name}:\n{report}"
