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
from pathlib import Path
from urllib.parse import urlsplit

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


def text_findings(page, *, language: str = "vi") -> list[str]:
    """Findings about words, dates and numbers on the current page."""
    path = urlsplit(page.url).path
    if any(path.startswith(prefix) and path != prefix for prefix in RAW_RECORD_PATHS):
        return []
    data = page.evaluate(COLLECT_JS)
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
