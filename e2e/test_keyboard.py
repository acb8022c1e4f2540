"""Keyboard users: every link and control on the main pages gets a visible focus."""

import pytest

FOCUS_STYLE_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  return {tag: el.tagName, text: (el.innerText || el.value || el.name || '').trim().slice(0, 40),
          visible: outline || shadow, shown: r.width > 0 && r.height > 0};
}
"""


@pytest.mark.parametrize("path", ["/", "/units/", "/users/", "/accounts/password/"])
def test_keyboard_focus_is_visible_on_each_control(demo, login, live_server, viewport_name, path):
    page = login("mttq.huyen")
    page.goto(f"{live_server.url}{path}")
    page.locator("body").focus()
    seen, problems = 0, []
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_STYLE_JS)
        if info is None:
            break
        seen += 1
        if info["shown"] and not info["visible"]:
            problems.append(f"{info['tag']} {info['text']!r}")
    assert seen >= 3, "Tab reached almost nothing"
    assert problems == [], f"no visible focus on {path}: {problems}"
