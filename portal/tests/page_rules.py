"""What every HTML page of the portal must be for its Content-Security-Policy and CSRF
protection: the policy header sent, no inline script (a JSON data block from
``json_script`` is not run, so it is allowed), no style attribute, a CSRF token in every
POST form. Checked on every page the permission matrix opens (every URL, every role, in
and out of scope); test_hardening.py shows each rule catching its fault."""

import re

INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc\s*=)(?![^>]*\btype=[\"']application/json[\"'])[^>]*>", re.IGNORECASE
)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
POST_FORM = re.compile(r"<form\b[^>]*method=[\"']?post[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)


def page_problems(response) -> list[str]:
    """What is wrong with a page (an answer that is not HTML has nothing to check)."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    body = response.content.decode()
    problems = []
    if "Content-Security-Policy" not in response:
        problems.append("no Content-Security-Policy header")
    if INLINE_SCRIPT.search(body):
        problems.append("an inline <script>")
    if STYLE_ATTRIBUTE.search(body):
        problems.append("a style= attribute")
    if any('name="csrfmiddlewaretoken"' not in form for form in POST_FORM.findall(body)):
        problems.append("a POST form without CSRF token")
    return problems
