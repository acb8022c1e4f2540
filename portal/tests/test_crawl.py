"""Every page each demo account can reach by links answers 200 in Vietnamese: no English
UI words, dates as dd/mm/yyyy, grouped numbers (the rules of ``e2e/checks.py``).

The crawl runs with the test client, once per session (``demo_pages``); the browser crawl
(``e2e/test_crawl.py``) then opens one page of each kind it found, at both viewports."""

import pytest

from devdata.demo.organizations import ACCOUNTS


@pytest.mark.parametrize("username", ["admin", *(account[0] for account in ACCOUNTS)])
def test_crawl_every_page_an_account_reaches_is_vietnamese_and_answers(db, demo_pages, username):
    visited, problems = demo_pages[username]
    report = "\n".join(f"{path}:\n    " + "\n    ".join(found) for path, found in problems.items())
    assert len(visited) >= 3, f"the crawl found too few pages: {visited}"
    assert not problems, f"{username}, {len(visited)} pages:\n{report}"
