"""Excel lists under the official header of the exporting user's own unit (core.excel):
who issues them, under which superior body, who signs them; numbers grouped, dates as
dates, formula-like text kept as text, A4 page setup, write-only workbooks."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone

from core import excel
from organizations import access
from organizations.models import Organization, OrgKind, UnitLevel


@dataclass(frozen=True)
class Issuer:
    """The left block of a document's header and its signer, for one organization."""

    parent_body: str
    issuing_body: str
    place: str
    symbol: str  # after the document type in "Số: …/DS-MTTQ-BTT"; empty for an organization
    position: tuple[str, ...]

    def header(self, *, doc_type: str, title: str, subtitle: str = "") -> excel.Header:
        return excel.Header(
            parent_body=self.parent_body,
            issuing_body=self.issuing_body,
            number=excel.number_line(doc_type, self.symbol),
            place=self.place,
            title=title,
            subtitle=subtitle,
            day=timezone.localdate(),
        )


def front_issuer(unit) -> Issuer:
    """The Front of ``unit`` (an area's: its commune's) as its Standing Committee."""
    if unit.level == UnitLevel.AREA and unit.parent_id:
        unit = unit.parent
    return Issuer(
        f"ỦY BAN MTTQ VIỆT NAM {unit.name.upper()}",
        excel.FRONT_BODY,
        excel.place_name(unit),
        "MTTQ-BTT",
        excel.FRONT_SIGNER,
    )


def issuer_of(organization: Organization) -> Issuer:
    """The Front at a unit issues as its Standing Committee under "ỦY BAN MTTQ VIỆT NAM
    <UNIT>"; an organization under the organization of its kind one level up, its direct
    superior (NĐ 30/2020: "tên cơ quan, tổ chức chủ quản trực tiếp"): one query."""
    unit = organization.unit
    place_unit = unit.parent if unit.level == UnitLevel.AREA and unit.parent_id else unit
    place = excel.place_name(place_unit)
    if organization.is_front and unit.level != UnitLevel.AREA:
        return front_issuer(unit)
    if organization.is_front:  # a residential area's Front work committee, under its commune's Front
        return Issuer(
            f"ỦY BAN MTTQ VIỆT NAM {place_unit.name.upper()}",
            organization.name.upper(),
            place,
            "",
            ("TM. BAN CÔNG TÁC MẶT TRẬN", "TRƯỞNG BAN"),
        )
    superior = (
        Organization.objects.filter(unit_id=unit.parent_id, kind=organization.kind)
        .values_list("name", flat=True)
        .first()
        if unit.parent_id
        else None
    )
    parent = (superior or (unit.parent.name if unit.parent_id else "")).upper()
    head = "BÍ THƯ" if organization.kind == OrgKind.YOUTH else "CHỦ TỊCH"
    return Issuer(parent, organization.name.upper(), place, "", ("TM. BAN CHẤP HÀNH", head))


def issuer(user, *, unit=None) -> Issuer:
    """The issuer of what ``user`` exports: the organization of the user's widest scope; for
    a user without one (an administrator), the Front of ``unit`` when given."""
    scope = access.primary_scope(user)
    if scope is not None:
        return issuer_of(scope.organization)
    if unit is not None:
        return front_issuer(unit)
    return Issuer("ỦY BAN MTTQ VIỆT NAM", excel.FRONT_BODY, "", "MTTQ-BTT", excel.FRONT_SIGNER)


def workbook_response(
    *,
    user,
    title: str,
    filename: str,
    headers: list[str],
    rows,
    widths=None,
    numbers=(),
    signed: bool = True,
) -> HttpResponse:
    """A list as an official document: header, title, column headers, ``rows``, and, when the
    paper list is ``signed``, who drew it up and who signs it. ``numbers``: the indexes of
    the columns of counts and amounts."""
    by = issuer(user)
    wb = excel.new_workbook()
    page = excel.OfficialSheet(
        wb,
        title,
        header=by.header(doc_type="DS", title=title),
        columns=headers,
        widths=widths or [18] * len(headers),
        numbers=numbers,
    )
    page.start()
    for row in rows:
        page.add(row)
    if signed:
        page.sign(excel.Signature.for_list(by.position))
    return excel.xlsx_response(excel.save(wb), filename)
