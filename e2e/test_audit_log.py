"""The change log as the Front's officers see it: reached from the menu, Vietnamese,
dd/mm/yyyy, grouped numbers, no serious axe violation, no sideways scroll on a phone, and
a change made through the portal shows up with its old and new value."""

import pytest

from e2e.checks import axe_violations, horizontal_overflow, text_findings


@pytest.mark.e2e
def test_audit_log_page_lists_a_change_made_through_the_portal(demo, login, live_server, viewport_name):
    from households.models import Household

    page = login("mttq.iadom")
    household = Household.objects.filter(area__parent__official_code=23872).order_by("pk").first()
    page.goto(f"{live_server.url}/households/{household.pk}/edit/")
    page.get_by_label("Số nhân khẩu").fill("9")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/audit/?model=households.household")
    row = page.locator("#audit-log tbody tr").first
    assert household.head_name in row.inner_text()
    assert "Số nhân khẩu" in row.inner_text() and "→ 9" in row.inner_text()
    problems = list(text_findings(page))
    problems += [f"axe {v['id']}: {v['targets']}" for v in axe_violations(page)]
    if viewport_name == "phone":
        overflow = horizontal_overflow(page)
        if overflow:
            problems.append(f"scrolls {overflow}px sideways")
    page.goto(f"{live_server.url}/audit/")
    problems += list(text_findings(page))
    problems += [f"axe {v['id']}: {v['targets']}" for v in axe_violations(page)]
    assert not problems, problems
