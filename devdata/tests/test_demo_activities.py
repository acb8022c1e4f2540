import datetime

from django.core.management import call_command
from django.urls import reverse

from activities import selectors as activity_selectors
from activities.models import ExemplaryExample, Initiative, OutstandingArea, Supervision
from organizations.models import User
from programs.models import Program, ProgramDocument


def _counts():
    return [
        m.objects.count()
        for m in (Initiative, Supervision, ExemplaryExample, OutstandingArea, Program, ProgramDocument)
    ]


def test_demo_initiatives_loaded_once(demo):
    before = _counts()
    assert all(before) and Program.objects.filter(parent__isnull=False).count() == 3
    call_command("seed_demo", verbosity=0)
    assert _counts() == before
    years = set(Initiative.objects.values_list("start_year", flat=True))
    assert years <= set(range(2017, 2022))
    assert Initiative.objects.filter(name="Hàng rào xanh").exists()


def test_demo_rules_show_gaps(demo):
    front = User.objects.get(username="mttq.huyen")
    program = Program.objects.get(number="01/CTPH-MTTQ-TCCTXH")
    initiative_rows = {
        r["commune"].name: r for r in activity_selectors.initiative_check(front, program, 2021)
    }
    assert not initiative_rows["Xã Ia Lang"]["ok"] and initiative_rows["Xã Ia Dom"]["ok"]
    outstanding = {r["commune"].name: r for r in activity_selectors.outstanding_check(front, program, 2021)}
    assert not outstanding["Xã Ia Pnôn"]["ok"] and outstanding["Xã Ia Dom"]["ok"]
    assert activity_selectors.overdue_supervisions(front, datetime.date(2026, 1, 1)).count() == 1


def test_demo_pages_render_for_each_account(demo, client):
    for username in ("mttq.huyen", "nongdan.huyen", "mttq.iadom", "phunu.iadom", "lanhdao"):
        client.force_login(User.objects.get(username=username))
        for name in (
            "activities:initiative_list",
            "activities:initiative_check",
            "activities:supervision_list",
            "activities:example_list",
            "activities:outstanding_list",
            "programs:commune_program_list",
            "programs:document_list",
        ):
            assert client.get(reverse(name)).status_code == 200, (username, name)
