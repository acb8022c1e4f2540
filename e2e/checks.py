"""Page checks shared by the browser tests: language, formats, axe-core, phone layout.

Rules (kept in one place so every journey applies the same ones):

* English words: a stop-list of UI words (``ENGLISH_UI_WORDS``) must not appear as whole
  words in the text of a Vietnamese page, nor in button values, placeholders,
  ``aria-label`` or ``title`` attributes. Elements with a ``lang`` attribute other than
  "vi" (e.g. the "English" choice of the language switch) are data, not UI.
* Dates: shown as dd/mm/yyyy. ``yyyy-mm-dd``, ``d/m/yyyy`` with one-digit parts, a
  "month" above 12 and English month names fail.
* Numbers: a run of 4 or more digits must be grouped with "." (1.234). Exempt: 4-digit
  years 1900–2100, digits touching "/", "-", ":", "." or "," (dates, document numbers
  like 05/CTr-MTTQ, times, grouped numbers), and anything inside an element with class
  ``raw-number`` (official codes, phone numbers, identity numbers: mark them so in the
  template, rendered with ``|stringformat:"s"``/``"d"``).
* Text users typed (a program's legal bases, descriptions) is shown as typed: mark its
  container with class ``user-text`` and the date and number rules skip it (the English
  word rule still applies).
* axe-core (vendored in e2e/vendor/axe.min.js, never served to users): WCAG 2.0/2.1 A and
  AA rules plus best practices; violations with impact "serious" or "critical" fail.
* Phone: at 375 px the page must not scroll horizontally.
* Raw records: the admin's pages of the audit log and the login log
  (``RAW_RECORD_PATHS``) show stored technical values verbatim (ISO timestamps, "None",
  ids); only axe-core applies there.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

ENGLISH_UI_WORDS = [
    "Save",
    "Cancel",
    "Search",
    "Submit",
    "Delete",
    "Actions",
    "Home",
    "Log in",
    "Log out",
    "Password",
    "Username",
    "Next",
    "Previous",
    "Filter",
    "Export",
    "Yes",
    "No",
    "None",
    "True",
    "False",
    # Django admin
    "Site administration",
    "Add",
    "Change",
    "History",
    "View site",
    "Recent actions",
    "My actions",
    "Go",
    "Select all",
    "Show all",
    "Clear selection",
]
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH_UI_WORDS) + r")(?![\w-])")

MONTHS = (
    "January February March April June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
).split()
MONTH_RE = re.compile(
    r"\b(" + "|".join(MONTHS) + r")\.?\s+\d{1,2}\b|\b\d{1,2}\s+(" + "|".join(MONTHS) + r")\b"
)
ISO_DATE_RE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")
SLASH_DATE_RE = re.compile(r"(?<![\w/])(\d{1,2})/(\d{1,2})/(\d{2,4})(?![\w/])")
LONG_NUMBER_RE = re.compile(r"(?<![\d/\-:.,])\d{4,}(?![\d/\-:.,])")
# A number written for the reader ("2.017", "1.499") where a program reads it: a link's
# query, an option's value, an id. Django groups every number it prints unless told not to.
GROUPED_IN_VALUE_RE = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{3})+(?![\w.])")

# Text and attributes of the page as the checks need them, raw numbers left out.
COLLECT_JS = """
() => {
  const skipTags = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
  const foreign = (el) => { const l = el.closest('[lang]'); return l && !l.lang.startsWith('vi') && l !== document.documentElement; };
  const texts = [], formatted = [], numbers = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || skipTags.has(el.tagName) || !n.nodeValue.trim()) continue;
    if (foreign(el)) continue;
    const text = n.nodeValue.trim();
    texts.push(text);
    if (el.closest('.user-text')) continue;
    formatted.push(text);
    if (!el.closest('.raw-number')) numbers.push(text);
  }
  const attrs = [];
  for (const el of document.querySelectorAll('[placeholder],[aria-label],[title],input[type=submit],input[type=button]')) {
    if (foreign(el)) continue;
    for (const a of ['placeholder', 'aria-label', 'title']) if (el.getAttribute(a)) attrs.push(el.getAttribute(a));
    if (el.matches('input[type=submit],input[type=button]') && el.value) attrs.push(el.value);
  }
  // Values read by the machine, not the reader: links, form values, ids and their references.
  const machine = [];
  for (const el of document.querySelectorAll('a[href],option[value],input[type=hidden][value],[id],label[for],[aria-labelledby]')) {
    for (const a of ['href', 'value', 'id', 'for', 'aria-labelledby']) if (el.getAttribute(a)) machine.push(el.getAttribute(a));
  }
  return {texts, formatted, numbers, attrs, machine, title: document.title};
}
"""


RAW_RECORD_PATHS = ("/admin/auditlog/logentry/", "/admin/axes/")


def _is_raw_record(url: str) -> bool:
    path = urlsplit(url).path
    return any(path.startswith(prefix) and path != prefix for prefix in RAW_RECORD_PATHS)


def text_findings(page, *, language: str = "vi") -> list[str]:
    """Findings about words, dates and numbers on the current page."""
    if _is_raw_record(page.url):
        return []
    return _findings(page.evaluate(COLLECT_JS), language)


SKIPPED_TAGS = {"script", "style", "noscript", "template"}
ATTRIBUTES_READ = ("placeholder", "aria-label", "title")
MACHINE_ATTRIBUTES = ("href", "value", "id", "for", "aria-labelledby")


def html_text_findings(url: str, html: str, *, language: str = "vi") -> list[str]:
    """The same findings as ``text_findings``, from a page's HTML as the server sent it
    (what COLLECT_JS reads in a browser, read with lxml): for the test client's crawl."""
    if _is_raw_record(url):
        return []
    root = lxml.html.document_fromstring(html)

    def foreign(el) -> bool:
        marked = next((a for a in el.iterancestors() if a.get("lang") is not None), None)
        marked = el if el.get("lang") is not None else marked
        return marked is not None and marked.tag != "html" and not marked.get("lang").startswith("vi")

    def within(el, cls: str) -> bool:
        return any(cls in (a.get("class") or "").split() for a in (el, *el.iterancestors()))

    data = {"texts": [], "formatted": [], "numbers": [], "attrs": [], "machine": []}
    title = root.find(".//title")
    data["title"] = (title.text_content() if title is not None else "").strip()
    body = root.find("body")
    for el in body.iter() if body is not None else ():
        if not isinstance(el.tag, str) or el.tag in SKIPPED_TAGS or foreign(el):
            continue
        # An element's own text, and the text after each child (which is the element's too).
        pieces = [el.text] + [child.tail for child in el if child.tail]
        if any(a.tag in SKIPPED_TAGS for a in el.iterancestors()):
            continue
        for piece in pieces:
            text = (piece or "").strip()
            if not text:
                continue
            data["texts"].append(text)
            if within(el, "user-text"):
                continue
            data["formatted"].append(text)
            if not within(el, "raw-number"):
                data["numbers"].append(text)
    for el in root.iter():
        if not isinstance(el.tag, str) or foreign(el):
            continue
        data["attrs"] += [el.get(a) for a in ATTRIBUTES_READ if el.get(a)]
        if el.tag == "input" and el.get("type") in ("submit", "button") and el.get("value"):
            data["attrs"].append(el.get("value"))
    for el in root.iter():
        if isinstance(el.tag, str) and _read_by_machine(el):
            data["machine"] += [el.get(a) for a in MACHINE_ATTRIBUTES if el.get(a)]
    return _findings(data, language)


def _read_by_machine(el) -> bool:
    """COLLECT_JS's selector: a[href], option[value], input[type=hidden][value], [id],
    label[for], [aria-labelledby]."""
    return (
        (el.tag == "a" and el.get("href") is not None)
        or (el.tag == "option" and el.get("value") is not None)
        or (el.tag == "input" and el.get("type") == "hidden" and el.get("value") is not None)
        or (el.tag == "label" and el.get("for") is not None)
        or el.get("id") is not None
        or el.get("aria-labelledby") is not None
    )


def _findings(data: dict, language: str) -> list[str]:
    findings = []
    if language == "vi":
        for text in [data["title"], *data["texts"], *data["attrs"]]:
            for m in ENGLISH_RE.finditer(text):
                findings.append(f"English word {m.group(0)!r} in {text[:80]!r}")
    for text in data["formatted"]:
        for m in ISO_DATE_RE.finditer(text):
            findings.append(f"date not dd/mm/yyyy: {m.group(0)!r}")
        for m in SLASH_DATE_RE.finditer(text):
            day, month, year = m.groups()
            if len(day) != 2 or len(month) != 2 or len(year) != 4 or int(month) > 12:
                findings.append(f"date not dd/mm/yyyy: {m.group(0)!r}")
        if language == "vi":
            for m in MONTH_RE.finditer(text):
                findings.append(f"English month name: {m.group(0)!r}")
    for value in data["machine"]:
        for m in GROUPED_IN_VALUE_RE.finditer(value):
            findings.append(f"grouped number {m.group(0)!r} in a link, form value or id: {value[:80]!r}")
    for text in data["numbers"]:
        for m in LONG_NUMBER_RE.finditer(text):
            digits = m.group(0)
            if len(digits) == 4 and 1900 <= int(digits) <= 2100:
                continue
            findings.append(f"number without '.' grouping: {digits!r} in {text[:80]!r}")
    return findings


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core on the current page; the violations of the given impacts.

    axe is evaluated through the DevTools protocol (not a <script> tag) so the portal's
    CSP, which forbids inline scripts, stays on during the tests.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
            resultTypes: ['violations'],
          });
          return r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            count: v.nodes.length,
          }));
        }"""
    )
    return [v for v in result if impacts is None or v["impact"] in impacts]


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


# ---------------------------------------------------------------- the crawl

# The crawl stops at this many pages per account; after this many pages of one kind (same
# path but for numbers: /units/17/ and /units/18/?page=2 are both "/units/<n>/") further
# pages of that kind wait until every other page found has been visited, so every kind of
# page is reached first however much data the demo holds.
MAX_PAGES = 60
MAX_PER_KIND = 5
SKIP_PATH_PARTS = ("/logout", "/i18n/", "/export", "/download", "/static/", "/media/")


def kind_of(url: str) -> str:
    return re.sub(r"\d+", "<n>", urlsplit(url).path)


def wanted(url: str, *, superuser: bool) -> str | None:
    """The path and query of a link the crawl follows, or None: it leaves the site, is a
    download, logs out, switches the language, or leads to the admin for a non-superuser."""
    url, _ = urldefrag(url)
    parts = urlsplit(url)
    if parts.netloc not in ("", "testserver"):
        return None
    if any(part in parts.path for part in SKIP_PATH_PARTS):
        return None
    if parts.path.startswith("/admin/") and (not superuser or "/delete/" in parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(visit, *, superuser: bool, start: str = "/") -> list[str]:
    """Visit pages breadth first from ``start``; ``visit(path, referrer)`` checks a page and
    returns the links on it, or None for a download or a broken link. The paths visited."""
    queue, seen, visited = deque([(start, None)]), {start}, []
    deferred = deque()  # pages of a kind already seen enough: visited if the budget allows
    per_kind = defaultdict(int)
    while (queue or deferred) and len(visited) < MAX_PAGES:
        fresh = bool(queue)
        path, referrer = queue.popleft() if fresh else deferred.popleft()
        if fresh and per_kind[kind_of(path)] >= MAX_PER_KIND:
            deferred.append((path, referrer))
            continue
        links = visit(path, referrer)
        if links is None:
            continue
        per_kind[kind_of(path)] += 1
        visited.append(path)
        for link in links:
            target = wanted(urljoin(f"http://testserver{path}", link), superuser=superuser)
            if target and target not in seen:
                seen.add(target)
                queue.append((target, path))
    return visited


def links_in(html: str) -> list[str]:
    """The links a reader can follow: not downloads, not inside ``data-no-crawl``."""
    root = lxml.html.document_fromstring(html)
    return [
        a.get("href")
        for a in root.iter("a")
        if a.get("href") is not None
        and a.get("download") is None
        and not any(e.get("data-no-crawl") is not None for e in (a, *a.iterancestors()))
    ]


def client_crawl(client, *, superuser: bool) -> tuple[list[str], dict[str, list[str]]]:
    """Every page a logged-in test client reaches by links, each checked for words, dates,
    numbers and its answer: (the paths visited, problems by path)."""
    problems: dict[str, list[str]] = defaultdict(list)

    def visit(path, referrer):
        response = client.get(path, follow=True)
        if response.status_code != 200:
            problems[path].append(f"answered {response.status_code} (linked from {referrer})")
            return None
        if response.has_header("Content-Disposition") or not response["Content-Type"].startswith("text/html"):
            return None
        html = response.content.decode()
        problems[path] += html_text_findings(path, html)
        final = response.redirect_chain[-1][0] if response.redirect_chain else path
        return [urljoin(f"http://testserver{final}", link) for link in links_in(html)]

    visited = crawl(visit, superuser=superuser)
    return visited, {path: found for path, found in problems.items() if found}
