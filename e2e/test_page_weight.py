"""The home page is light on a first visit: under 300 KB transferred, nothing fetched
from another site (no web fonts, no CDN).

What is measured, honestly: the browser's cache is disabled through the DevTools
protocol and the home page is loaded once; the bytes each response took on the wire
(``encodedDataLength``: headers + body) are summed. Django's live server sends static
files uncompressed, while production serves them through whitenoise's
CompressedManifestStaticFilesStorage (gzip/brotli, hashed names, cached for a year). So the
test also gzips each body as whitenoise does (level 9) and asserts the production estimate
is under the budget; the raw figure is printed and bounded too.
"""

import gzip
from urllib.parse import urlsplit

import pytest

BUDGET = 300 * 1024
RAW_BOUND = 600 * 1024  # the uncompressed live-server figure, as a guard against bloat


@pytest.mark.parametrize("viewport_name", ["desktop"])
def test_page_weight_home_first_visit_under_budget(demo, login, live_server, viewport_name):
    page = login("mttq.huyen")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    wire: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: wire.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    bodies: dict[str, bytes] = {}
    page.on("response", lambda r: bodies.__setitem__(r.url, r.body()) if r.ok else None)

    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")

    origin = urlsplit(live_server.url).netloc
    foreign = [u for u in list(urls.values()) + list(bodies) if urlsplit(u).netloc not in (origin, "")]
    raw = sum(wire.values())
    gzipped = sum(len(gzip.compress(body, 9)) for body in bodies.values())
    print(
        f"\n[weight] home page, first visit: {len(bodies)} responses, {raw / 1024:.0f} KB on the wire "
        f"(live server, uncompressed); about {gzipped / 1024:.0f} KB gzipped as whitenoise serves it"
    )
    for url, body in sorted(bodies.items(), key=lambda item: -len(item[1])):
        print(f"  {len(body) / 1024:7.1f} KB  {url.removeprefix(live_server.url)}")
    assert foreign == [], f"fetched from other sites: {foreign}"
    assert raw > 0 and bodies, "nothing was measured"
    assert gzipped < BUDGET, f"home page about {gzipped / 1024:.0f} KB compressed, budget {BUDGET // 1024} KB"
    assert raw < RAW_BOUND, f"home page {raw / 1024:.0f} KB uncompressed"


def test_page_weight_production_uses_hashed_compressed_static(settings):
    """Static files get hashed names and precompressed copies in production (DEBUG=0)."""
    import importlib
    import os

    from portal import settings as portal_settings

    env = {"DEBUG": "0", "SECRET_KEY": "test-only", "ALLOWED_HOSTS": "example.org"}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        production = importlib.reload(portal_settings)
        backend = production.STORAGES["staticfiles"]["BACKEND"]
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        importlib.reload(portal_settings)
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_page_weight_no_web_fonts_from_outside():
    from pathlib import Path

    base = Path(__file__).resolve().parents[1]
    for css in [*base.glob("static/**/*.css"), *base.glob("templates/**/*.html")]:
        text = css.read_text(encoding="utf-8", errors="ignore")
        assert "fonts.googleapis" not in text and "@import url(http" not in text, css
        assert "//cdn" not in text, css


def test_page_weight_scripts_deferred_and_charts_loaded_only_on_the_dashboard(demo, login, live_server):
    """Nothing but the CSS holds up the first paint: every script is deferred, and the
    charting library (the largest script) is fetched by the dashboard alone."""
    page = login("lanhdao")
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if r.resource_type == "script" else None)
    for path in ("/", "/households/", "/registrations/", "/reports/", "/dashboard/"):
        fetched.clear()
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        blocking = page.evaluate(
            """() => Array.from(document.querySelectorAll("script[src]"))
                 .filter((s) => !s.defer && !s.async).map((s) => s.getAttribute("src"))"""
        )
        assert blocking == [], (path, blocking)
        in_head = page.evaluate("() => document.head.querySelectorAll('script').length")
        assert in_head == 0, path
        charts = [u for u in fetched if "chart.umd" in u]
        assert bool(charts) == (path == "/dashboard/"), (path, fetched)
    expect_drawn = page.evaluate("() => document.querySelector('canvas[data-rendered]') !== null")
    assert expect_drawn
