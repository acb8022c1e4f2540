"""Every message a Vietnamese user can see has a Vietnamese translation."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils.translation.trans_real import DjangoTranslation

BASE = Path(__file__).resolve().parents[2]
CATALOGS = sorted(p for p in BASE.glob("**/vi/LC_MESSAGES/*.po") if ".venv" not in p.parts)


def _entries(path: Path):
    """(msgctxt, msgid, msgstr, fuzzy) of each entry, read without third-party parsers."""
    entries, current, fuzzy = [], None, False
    key, context = None, ""
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgctxt "):
            context = line[9:-1]
        elif line.startswith("msgid "):
            current = {"msgctxt": context, "msgid": line[7:-1], "msgstr": "", "fuzzy": fuzzy}
            key = "msgid"
        elif line.startswith("msgid_plural "):
            key = "plural"
        elif line.startswith("msgstr"):
            key = "msgstr"
            current["msgstr"] += line.split(" ", 1)[1][1:-1]
        elif line.startswith('"') and current is not None:
            if key == "msgid":
                current["msgid"] += line[1:-1]
            elif key == "msgstr":
                current["msgstr"] += line[1:-1]
        elif not line and current is not None:
            entries.append(current)
            current, fuzzy, key, context = None, False, None, ""
    return [e for e in entries if e["msgid"]]


def test_translations_catalogs_exist():
    assert any(p.parent.parent.parent.parent == BASE for p in CATALOGS)
    assert len(CATALOGS) >= 3


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda p: str(p.relative_to(BASE)))
def test_translations_complete_and_not_fuzzy(catalog):
    bad = [e["msgid"] for e in _entries(catalog) if e["fuzzy"] or not e["msgstr"]]
    assert bad == [], f"{len(bad)} untranslated or fuzzy in {catalog}: {bad[:10]}"


def test_translations_same_message_reads_the_same_in_every_catalog():
    """Django merges the catalogs and the first one that has a message wins everywhere, so a message
    translated two ways would show another app's wording. Homonyms need a context (pgettext)."""
    readings = {}
    for catalog in CATALOGS:
        if "django-overrides" in catalog.parts:
            continue
        name = str(catalog.relative_to(BASE))
        for e in _entries(catalog):
            if e["msgstr"]:
                readings.setdefault((e["msgctxt"], e["msgid"]), {})[name] = e["msgstr"]
    conflicts = {key: found for key, found in readings.items() if len(set(found.values())) > 1}
    assert conflicts == {}, f"{len(conflicts)} messages translated differently: {list(conflicts.items())[:5]}"


def test_translations_homonyms_keep_their_own_meaning():
    from django.utils import translation

    from households.models import FundingSource

    with translation.override("vi"):
        assert str(FundingSource.STATE.label) == "Nhà nước"


def test_translations_compiled_catalog_is_loaded():
    catalog = DjangoTranslation("vi")
    assert catalog.gettext("Log in") == "Đăng nhập"
    assert catalog.gettext("Save") == "Lưu"


MO_CATALOGS = sorted(p for p in BASE.glob("**/LC_MESSAGES/*.po") if ".venv" not in p.parts)


@pytest.mark.parametrize("catalog", MO_CATALOGS, ids=lambda p: str(p.relative_to(BASE)))
def test_translations_committed_mo_matches_compiled_po(catalog, tmp_path):
    """compilemessages would change no committed .mo (the same check as `make messages-check`)."""
    msgfmt = shutil.which("msgfmt") or ("/usr/bin/msgfmt" if Path("/usr/bin/msgfmt").exists() else None)
    if msgfmt is None:
        if os.environ.get("CI", "").lower() == "true" or os.environ.get("E2E_REQUIRED"):
            pytest.fail("msgfmt (gettext) is required in CI to check the compiled catalogs")
        pytest.skip("msgfmt (gettext) is not installed here; install gettext to check the .mo files")
    committed = catalog.with_suffix(".mo")
    assert committed.exists(), f"{committed.relative_to(BASE)} is missing: run compilemessages and commit it"
    compiled = tmp_path / "django.mo"
    # The same command line as Django's compilemessages.
    subprocess.run([msgfmt, "--check-format", "-o", str(compiled), str(catalog)], check=True)
    assert compiled.read_bytes() == committed.read_bytes(), (
        f"{committed.relative_to(BASE)} is stale: run `make messages` (or compilemessages) and commit the .mo"
    )
