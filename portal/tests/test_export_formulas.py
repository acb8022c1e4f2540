"""Every Excel export writes text that starts like a formula (= + - @) as text: a name
typed as ``=HYPERLINK(...)`` must never become a live formula in an officer's Excel."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import ExemplaryExample, Initiative, OutstandingArea, Supervision
from households.models import FundEntry, Household, HouseholdStatus, Status
from programs.models import ProgramDocument
from registrations.models import RegistrationItem

HOSTILE = {
    "household": '=HYPERLINK("http://x","bấm")',
    "initiative": "+cmd|' /C calc'!A0",
    "supervision": "-2+3",
    "example": "@SUM(1,2)",
    "outstanding": "=1+1",
    "document": "=2+2",
    "item": "@A1",
    "donor": "-10+20",
}

# URL name, its kwargs from the Ia Dom target, query, the hostile text it must show.
EXPORTS = [
    ("registrations:registration_xlsx", lambda t: {"pk": t.accepted.pk}, {}, HOSTILE["item"]),
    ("households:export", None, {"year": 2024}, HOSTILE["household"]),
    ("households:fund_export", lambda t: {"unit": t.commune.pk}, {}, HOSTILE["donor"]),
    ("activities:initiative_list", None, {"export": "xlsx"}, HOSTILE["initiative"]),
    ("activities:supervision_list", None, {"export": "xlsx"}, HOSTILE["supervision"]),
    ("activities:example_list", None, {"export": "xlsx"}, HOSTILE["example"]),
    ("activities:outstanding_list", None, {"export": "xlsx"}, HOSTILE["outstanding"]),
    ("programs:document_list", None, {"export": "xlsx"}, HOSTILE["document"]),
    ("reports:report_export", None, {}, None),
    ("reports:review_export", lambda t: {"length": 5}, {}, None),
    ("households:import_template", None, {}, None),
]


@pytest.fixture
def hostile_world(matrix):
    target = matrix.target("mttq.iadom", True)
    Household.objects.filter(pk=target.household.pk).update(head_name=HOSTILE["household"])
    HouseholdStatus.objects.create(household=target.household, year=2024, status=Status.POOR)
    Initiative.objects.filter(organization__unit=target.commune).update(name=HOSTILE["initiative"])
    Supervision.objects.filter(lead_organization__unit=target.commune).update(topic=HOSTILE["supervision"])
    ExemplaryExample.objects.filter(organization__unit=target.commune).update(name=HOSTILE["example"])
    OutstandingArea.objects.filter(program=target.program).update(decision_number=HOSTILE["outstanding"])
    ProgramDocument.objects.filter(program=target.program).update(subject=HOSTILE["document"])
    RegistrationItem.objects.filter(pk=target.item.pk).update(description=HOSTILE["item"])
    FundEntry.objects.filter(unit=target.commune).update(donor=HOSTILE["donor"])
    return target


@pytest.mark.parametrize(("name", "kwargs", "query", "shown"), EXPORTS, ids=[e[0] for e in EXPORTS])
def test_export_writes_formula_like_text_as_text(world, hostile_world, name, kwargs, query, shown):
    client = Client()
    client.force_login(world.mttq_iadom)
    response = client.get(reverse(name, kwargs=kwargs(hostile_world) if kwargs else None), query)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for member in archive.namelist():
            if member.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(member) and b"<f " not in archive.read(member), member
    workbook = load_workbook(io.BytesIO(content))
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{name}: {sheet.title}!{cell.coordinate} is a formula"
                values.append(cell.value)
    if shown:
        assert shown in values, f"{name} does not show {shown!r} as text"
