"""Every page each demo account can reach by links: Vietnamese, dd/mm/yyyy, grouped
numbers, no serious or critical axe-core violations, no sideways scroll on a phone.

The crawl finds the pages by itself (links from the home page, breadth first), so pages
added later are checked without touching this file. A link is not followed when it
leaves the site, is a download (``download`` attribute, Content-Disposition or a non-HTML
answer), logs out, switches the language, leads to the admin for a non-superuser, or
carries ``data-no-crawl`` (use it on links whose GET changes something or is slow).
It stops at 60 pages per account; after 5 pages of one kind (same path but for numbers)
further pages of that kind wait until every other page found has been visited, so every
kind of page is reached first however much data the demo holds.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from urllib.parse import urldefrag, urlsplit

import pytest

from e2e.checks import axe_violations, horizontal_overflow, text_findings
from organizations.demo import ACCOUNTS

DEMO_USERS = ["admin", *(account[0] for account in ACCOUNTS)]
MAX_PAGES = 60
# At most this many pages of one kind: /units/17/ and /units/18/?page=2 are both
# "/units/<n>/". Every kind of page gets checked, whatever the amount of demo data.
MAX_PER_KIND = 5
SKIP_PATH_PARTS = ("/logout", "/i18n/", "/export", "/download", "/static/", "/media/")

LINKS_JS = """
() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('download') && !a.closest('[data-no-crawl]'))
  .map(a => a.href)
"""


def _wanted(url: str, origin: str, *, superuser: bool) -> str | None:
    url, _ = urldefrag(url)
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    if any(part in parts.path for part in SKIP_PATH_PARTS):
        return None
    if parts.path.startswith("/admin/") and (not superuser or "/delete/" in parts.path):
        return None
    return url


def crawl(page, start_url: str, *, superuser: bool, check, broken) -> list[str]:
    """Visit pages breadth first from start_url; check(page, url) on each; the URLs seen.

    broken(url, status, referrer) is called for a link that does not answer 200.
    """
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(start_url))
    queue, seen, visited = deque([(start_url, None)]), {start_url}, []
    deferred = deque()  # pages of a kind already seen enough: visited if the budget allows
    per_kind = defaultdict(int)
    while (queue or deferred) and len(visited) < MAX_PAGES:
        fresh = bool(queue)
        url, referrer = queue.popleft() if fresh else deferred.popleft()
        kind = re.sub(r"\d+", "<n>", urlsplit(url).path)
        if fresh and per_kind[kind] >= MAX_PER_KIND:
            deferred.append((url, referrer))
            continue
        # Ask first, with the same cookies: a download would abort page.goto.
        head = page.request.get(url, max_redirects=5)
        if not head.ok:
            broken(url, head.status, referrer)
            continue
        ctype = head.headers.get("content-type", "")
        if "content-disposition" in head.headers or not ctype.startswith("text/html"):
            continue
        page.goto(url)
        page.wait_for_load_state("load")
        per_kind[kind] += 1
        visited.append(page.url)
        check(page, page.url)
        for link in page.evaluate(LINKS_JS):
            target = _wanted(link, origin, superuser=superuser)
            if target and target not in seen:
                seen.add(target)
                queue.append((target, page.url))
    return visited


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", DEMO_USERS)
def test_crawl_every_reachable_page_is_vietnamese_accessible_and_fits(
    demo, login, live_server, viewport_name, username
):
    page = login(username)
    problems: dict[str, list[str]] = {}
    counts = {"text": 0, "axe": 0, "overflow": 0, "broken": 0}

    def check(page, url):
        found = []
        for finding in text_findings(page):
            counts["text"] += 1
            found.append(finding)
        for v in axe_violations(page):
            counts["axe"] += 1
            found.append(f"axe {v['impact']} {v['id']} ({v['help']}) x{v['count']}: {v['targets']}")
        if viewport_name == "phone":
            overflow = horizontal_overflow(page)
            if overflow:
                counts["overflow"] += 1
                found.append(f"scrolls {overflow}px sideways at 375px")
        if found:
            problems[url.removeprefix(live_server.url)] = found

    def broken(url, status, referrer):
        counts["broken"] += 1
        problems.setdefault(url.removeprefix(live_server.url), []).append(
            f"answered {status} (linked from {referrer and referrer.removeprefix(live_server.url)})"
        )

    visited = crawl(page, f"{live_server.url}/", superuser=username == "admin", check=check, broken=broken)
    print(
        f"\n[crawl] {username} @ {viewport_name}: {len(visited)} pages checked, "
        f"{counts['text']} text/format findings, {counts['axe']} serious/critical axe violations, "
        f"{counts['overflow']} pages scrolling sideways, {counts['broken']} broken links"
    )
    for url in visited:
        print(f"  {url.removeprefix(live_server.url)}")
    report = "\n".join(f"{url}:\n    " + "\n    ".join(found) for url, found in problems.items())
    assert len(visited) >= 3, f"the crawl found too few pages: {visited}"
    assert not problems, f"{username} @ {viewport_name}:\n{report}"
