"""The registration form as an Excel file: download in the official layout, upload back.

The downloaded file doubles as the template: a marker row names the template version,
the organization and the year, so a file filled for another organization or year, or
another file altogether, is refused. An upload changes nothing unless every row is valid.
It is read through core.spreadsheets, the one reader of uploads: a file whose sheets reach
too far, or that holds formulas, is refused before a cell is read.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from activities.models import Initiative
from core import audit, spreadsheets
from core.excel import Header, cell, number_line, place_name, write_header, xlsx_response
from core.text import normalize, normalized_for
from households.models import Household
from organizations.models import Unit, UnitLevel
from programs.models import ContentKind
from registrations import rules
from registrations.forms import area_labels
from registrations.models import (
    InitiativeNovelty,
    ItemKind,
    Registration,
    RegistrationAction,
    RegistrationItem,
)

TEMPLATE_MARK = "BDK-1"
RIGHT_COLUMN = 8  # the right block of the header (national name, motto, date) starts at column I
HOUSEHOLD_CODE = re.compile(r"#\s*(\d{1,9})")
# A continuing model named with the code of the one it continues: "Con đường hoa (#12)".
INITIATIVE_CODE = re.compile(r"\(\s*#\s*(\d{1,9})\s*\)\s*$")
MARK_ROW = 8  # in the files the portal writes; an upload looks for it in the first rows
MARK_SEARCH_ROWS = 20
FIRST_ITEM_ROW = 11
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_ROWS = 500
# What the columns hold (PositiveSmallIntegerField, PositiveIntegerField, BigIntegerField).
NUMBER_LIMITS = {"households_pledged": 32_767, "target_quantity": 2_147_483_647, "amount": 2**63 - 1}
SHEET_TITLE = "Bang dang ky"
LISTS_TITLE = "Danh muc"

# Column keys in order; the labels are translated when the file is written.
COLUMNS = [
    "number",
    "kind",
    "description",
    "content",
    "initiative_name",
    "novelty",
    "initiative_field",
    "area",
    "households_pledged",
    "target_quantity",
    "target_unit",
    "amount",
    "result",
    "achieved",
    "result_note",
    "households",
]
COL = {key: index for index, key in enumerate(COLUMNS)}


def _labels() -> dict[str, str]:
    return {
        "number": _("No."),
        "kind": _("Kind"),
        "description": _("Commitment"),
        "content": _("Content of the campaign (number)"),
        "initiative_name": _("Name of the model"),
        "novelty": _("New or continuing"),
        "initiative_field": _("Field of the model (number)"),
        "area": _("Residential area"),
        "households_pledged": _("Poor households taken on"),
        "target_quantity": _("Target"),
        "target_unit": _("Unit of the target"),
        "amount": _("Amount (VND)"),
        "result": _("Result"),
        "achieved": _("Achieved"),
        "result_note": _("Note"),
        "households": _("Households named (code)"),
    }


def _italic(ws, value):
    """The marker row's and the lists' labels."""
    return cell(ws, value, italic=True, size=None)


def official_header(registration: Registration) -> Header:
    """Parent body over the organization, "Số: …/ĐK-…", place and date, the title."""
    org = registration.organization
    program = registration.period.program
    parent = org.unit.parent.name.upper() if org.unit.parent_id else ""
    if org.is_front:
        parent, body, issuer = f"ỦY BAN MTTQ VIỆT NAM {org.unit.name.upper()}", "BAN THƯỜNG TRỰC", "MTTQ-BTT"
    else:
        body, issuer = org.name.upper(), ""
    return Header(
        parent_body=parent,
        issuing_body=body,
        number=number_line("ĐK", issuer),
        place=place_name(org.unit if org.unit.level != UnitLevel.AREA else org.unit.parent),
        title=_("REGISTRATION FORM %(year)s") % {"year": registration.period.year},
        subtitle=f"{program.campaign.name} – {program.number or program.title}",
        day=timezone.localdate(),
    )


def initiative_cell(item: RegistrationItem) -> str | None:
    """The model's name, with the code of the model it continues: "Con đường hoa (#12)". The
    code is read back on upload, so the file keeps the link the web form made."""
    if item.initiative_id:
        return f"{item.initiative_name} (#{item.initiative_id})".strip()
    return item.initiative_name or None


def household_cell(households) -> str | None:
    """ "Rơ Mah H' Bia (#12); Ksor Nay (#15)": names to read, codes to upload back."""
    return "; ".join(f"{h.head_name} (#{h.pk})" for h in households) or None


def workbook_bytes(
    registration: Registration, *, with_items: bool = True, named: dict | None = None
) -> bytes:
    """The registration in the official layout (NĐ 30/2020 header), write-only. ``named``:
    item id -> the households it names that the downloader may see."""
    org = registration.organization
    program = registration.period.program
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_TITLE)
    for index, width in enumerate([6, 22, 40, 14, 24, 14, 14, 20, 12, 10, 12, 16, 16, 12, 30, 40], start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    written = write_header(ws, official_header(registration), len(COLUMNS), right_column=RIGHT_COLUMN)
    # The organization's areas as the upload reads them back: beside their commune when
    # they lie in several (a district's "Làng Krêl").
    areas = list(Unit.objects.areas().subtree_of(org.unit).select_related("parent").order_by("path"))
    labels = area_labels(areas)
    for _blank in range(written, MARK_ROW - 1):  # the marker row stays where uploads look first
        ws.append([])
    ws.append(
        [
            _italic(ws, _("Template")),
            _italic(ws, TEMPLATE_MARK),
            _italic(ws, _("Organization code")),
            org.pk,
            _italic(ws, _("Year")),
            registration.period.year,
            _italic(ws, org.name),
        ]
    )
    ws.append([])
    headings = _labels()
    ws.append([cell(ws, headings[key], bold=True, center=True, wrap=True, size=None) for key in COLUMNS])
    if with_items:
        items = registration.items.select_related("content", "initiative_field", "area")
        for number, item in enumerate(items, start=1):
            achieved = item.achieved_amount if item.amount is not None else item.achieved_quantity
            values = [
                number,
                item.get_kind_display(),
                item.description,
                item.content.order if item.content else None,
                initiative_cell(item),
                item.get_novelty_display() if item.novelty else None,
                item.initiative_field.order if item.initiative_field else None,
                labels.get(item.area_id, item.area.name) if item.area else None,
                item.households_pledged,
                item.target_quantity,
                item.target_unit or None,
                item.amount,
                item.get_result_display() if item.result else None,
                achieved,
                item.result_note or None,
                household_cell((named or {}).get(item.pk, [])),
            ]
            ws.append(
                [cell(ws, v, wrap=True, top=True, size=None) if isinstance(v, str) else v for v in values]
            )
    lists = wb.create_sheet(LISTS_TITLE)
    lists.append([cell(lists, _("Lists used in the columns"), bold=True, size=None)])
    contents = list(program.contents.order_by("kind", "order"))
    for c in contents:
        label = _("Content %(n)s") if c.kind == ContentKind.CONTENT else _("Field %(n)s")
        lists.append([_italic(lists, label % {"n": c.order}), c.order, cell(lists, c.title, plain=True)])
    for kind in ItemKind:
        lists.append([_italic(lists, _("Kind")), None, cell(lists, str(kind.label), plain=True)])
    for status in InitiativeNovelty:
        lists.append(
            [_italic(lists, _("New or continuing")), None, cell(lists, str(status.label), plain=True)]
        )
    for area in areas:
        if area.is_active:
            label = cell(lists, labels[area.pk], plain=True)
            lists.append([_italic(lists, _("Residential area")), None, label])
    # The models a continuing item may name, with the code to write after the name.
    for code, name in org.initiatives.order_by("name", "pk").values_list("pk", "name"):
        lists.append([_italic(lists, _("Model it continues (#code)")), code, cell(lists, name, plain=True)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def file_stem(registration: Registration) -> str:
    return f"bang-dang-ky-{slugify(normalize(registration.organization.name))}-{registration.period.year}"


def download(registration: Registration, *, blank: bool = False, named: dict | None = None) -> HttpResponse:
    """The registration's file: filled in (``named``: as for ``workbook_bytes``), or the
    empty template (``blank``)."""
    content = workbook_bytes(registration, with_items=not blank, named=named)
    return xlsx_response(content, f"{file_stem(registration)}{'-mau-trong' if blank else ''}")


# ---------------------------------------------------------------- upload


@dataclass
class UploadResult:
    items: list[dict]
    errors: list[str]


def _choices_by_label(choices) -> dict[str, str]:
    """Accept a choice by its code or by its label in any language of the portal."""
    found = {}
    for value, _label in choices.choices:
        found[normalize(value)] = value
        for language in ("vi", "en"):
            with override(language):
                found[normalize(str(choices(value).label))] = value
    return found


def _cell_error(row: int, key: str, message: str) -> str:
    return _("Row %(row)s, column %(column)s (%(label)s): %(message)s") % {
        "row": row,
        "column": get_column_letter(COL[key] + 1),
        "label": _labels()[key],
        "message": message,
    }


def upload_limits() -> spreadsheets.Limits:
    """How far the sheets of an uploaded registration file may reach (core.spreadsheets
    checks it before reading a cell). The form sheet holds at most MAX_ROWS items under about
    twenty header rows, in sixteen columns (A to P); the lists sheet names the contents, the
    kinds, the organization's areas and its models in three columns: a province's
    organization lists a few thousand areas. Rows: 20,000; columns: 30 (up to AD) leave room
    for a user's own notes; cells: 200,000 keep the grid the reader allocates a few MB."""
    return spreadsheets.Limits(
        file_bytes=MAX_UPLOAD_BYTES,
        uncompressed_bytes=MAX_UNCOMPRESSED_BYTES,
        rows=20_000,
        columns=30,
        cells=200_000,
    )


def _open(upload) -> tuple[list[list] | None, list[str]]:
    """The rows of the form sheet of a safe, readable .xlsx; else a list of errors."""
    limits = upload_limits()
    name = (getattr(upload, "name", "") or "").lower()
    if upload.size > limits.file_bytes:
        return None, spreadsheets.size_error(limits).messages
    if not name.endswith(".xlsx"):
        return None, [_("The file is not an Excel .xlsx file.")]
    try:
        book = spreadsheets.read_workbook(upload.read(), limits=limits)
        if SHEET_TITLE not in book.sheet_names:
            return None, [
                _(
                    "This is not the registration template of the portal. Download the template and fill it in."
                )
            ]
        return book.rows(SHEET_TITLE, limit=MARK_SEARCH_ROWS + FIRST_ITEM_ROW + MAX_ROWS + 1), []
    except ValidationError as error:
        return None, error.messages


def _number(value):
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip().replace(".", "").replace(",", "").replace(" ", "").removesuffix("đ")
    return int(text)


# "Làng Krêl — Xã Ia Krêl", "Làng Krêl - Ia Krêl" or "Làng Krêl (Xã Ia Krêl)": an area
# named with its commune.
AREA_WITH_COMMUNE = re.compile(r"^(?P<name>.+?)\s*(?:[—–-]\s*(?P<after>[^—–-]+)|\((?P<within>[^()]+)\))\s*$")


class AreaFinder:
    """The residential areas of the registration's organization (its unit's subtree), found
    by what a user writes: the name ("Làng Krêl"; without accents too, when that is not
    ambiguous), or the name and the commune ("Làng Krêl — Xã Ia Krêl")."""

    def __init__(self, registration: Registration):
        self.unit = registration.organization.unit
        self.areas = list(
            Unit.objects.areas().subtree_of(self.unit).select_related("parent").order_by("path")
        )
        self.labels = area_labels(self.areas)

    def _named(self, name: str, areas) -> list[Unit]:
        # The exact name first: two areas of a commune may differ by their accents only.
        exact = [a for a in areas if a.name.casefold() == name.casefold()]
        key = normalized_for(Unit, name)
        return exact or [a for a in areas if a.name_normalized == key]

    def find(self, value) -> tuple[Unit | None, str]:
        """(the area, "") or (None, why not)."""
        text = " ".join(str(value).split())
        found = self._named(text, self.areas)
        match = AREA_WITH_COMMUNE.match(text)
        if not found and match:
            commune = normalize(match.group("after") or match.group("within"))
            within = [
                a
                for a in self.areas
                if a.parent_id
                and (normalize(a.parent.name) == commune or normalize(a.parent.name).endswith(" " + commune))
            ]
            found = self._named(match.group("name"), within)
        if len(found) == 1:
            return found[0], ""
        if not found:
            return None, _("no residential area “%(value)s” in %(unit)s.") % {
                "value": text,
                "unit": self.unit.name,
            }
        return None, _(
            "“%(value)s” matches %(count)s residential areas of %(unit)s: %(areas)s. Write one of them as shown here."
        ) % {
            "value": text,
            "count": len(found),
            "unit": self.unit.name,
            "areas": "; ".join(self.labels[a.pk] for a in found),
        }


def parse_upload(registration: Registration, upload) -> UploadResult:
    rows, errors = _open(upload)
    if errors:
        return UploadResult([], errors)
    # The marker row is found wherever the header put it (a user may add a row above it too).
    mark_row = next(
        (
            n
            for n, row in enumerate(rows[:MARK_SEARCH_ROWS], start=1)
            if len(row) > 1 and row[1] == TEMPLATE_MARK
        ),
        None,
    )
    mark = list(rows[mark_row - 1]) + [None] * 6 if mark_row else [None] * 6
    first_item_row = (mark_row or MARK_ROW) + FIRST_ITEM_ROW - MARK_ROW
    if mark_row is None:
        return UploadResult(
            [],
            [_("This is not the registration template of the portal. Download the template and fill it in.")],
        )
    try:
        org_id, year = int(mark[3]), int(mark[5])
    except (TypeError, ValueError):
        return UploadResult([], [_("The organization code or the year of the file is missing.")])
    if org_id != registration.organization_id:
        return UploadResult([], [_("This file was filled for another organization.")])
    if year != registration.period.year:
        return UploadResult(
            [],
            [
                _("This file is for %(file)s, not for %(year)s.")
                % {"file": year, "year": registration.period.year}
            ],
        )

    program = registration.period.program
    kinds = _choices_by_label(ItemKind)
    statuses = _choices_by_label(InitiativeNovelty)
    contents = {c.order: c for c in program.contents.filter(kind=ContentKind.CONTENT)}
    fields = {c.order: c for c in program.contents.filter(kind=ContentKind.MODEL_FIELD)}
    areas = AreaFinder(registration)
    own_initiatives = Initiative.objects.filter(organization_id=registration.organization_id).in_bulk()
    items: list[dict] = []
    for row_number, values in enumerate(rows[first_item_row - 1 :], start=first_item_row):
        values = list(values) + [None] * len(COLUMNS)
        cells = {key: values[i] for i, key in enumerate(COLUMNS)}
        if all(v in (None, "") for k, v in cells.items() if k != "number"):
            break  # the items end at the first empty row
        if row_number >= first_item_row + MAX_ROWS:
            errors.append(_("The file has more than %(n)s items.") % {"n": MAX_ROWS})
            break
        item: dict = {}
        row_errors: list[str] = []
        kind = kinds.get(normalize(str(cells["kind"] or "")))
        if kind is None:
            row_errors.append(
                _cell_error(
                    row_number, "kind", _("unknown kind “%(value)s”.") % {"value": cells["kind"] or ""}
                )
            )
        item["kind"] = kind
        item["description"] = str(cells["description"] or "").strip()
        item["initiative_name"] = str(cells["initiative_name"] or "").strip()
        item["initiative"] = None
        code = INITIATIVE_CODE.search(item["initiative_name"])
        if code:
            item["initiative_name"] = item["initiative_name"][: code.start()].strip()
            item["initiative"] = own_initiatives.get(int(code.group(1)))
            if item["initiative"] is None:
                row_errors.append(
                    _cell_error(
                        row_number,
                        "initiative_name",
                        _("no model with the code #%(code)s among your organization's.")
                        % {"code": code.group(1)},
                    )
                )
        item["target_unit"] = str(cells["target_unit"] or "").strip()
        for key in ("households_pledged", "target_quantity", "amount"):
            item[key] = None
            try:
                value = _number(cells[key])
                if value is not None and value < 0:
                    raise ValueError
            except (TypeError, ValueError, OverflowError):
                row_errors.append(_cell_error(row_number, key, _("enter a whole number.")))
                continue
            if value is not None and value > NUMBER_LIMITS[key]:
                row_errors.append(_cell_error(row_number, key, _("the number is too large.")))
                continue
            item[key] = value
        for key, catalogue in (("content", contents), ("initiative_field", fields)):
            raw = cells[key]
            item[key] = None
            if raw not in (None, ""):
                try:
                    item[key] = catalogue[_number(str(raw).split(".")[0])]
                except (KeyError, TypeError, ValueError):
                    row_errors.append(
                        _cell_error(
                            row_number,
                            key,
                            _("no item numbered “%(value)s” in the program.") % {"value": raw},
                        )
                    )
        raw_status = cells["novelty"]
        item["novelty"] = ""
        if raw_status not in (None, ""):
            item["novelty"] = statuses.get(normalize(str(raw_status)))
            if item["novelty"] is None:
                row_errors.append(_cell_error(row_number, "novelty", _("write “new” or “continuing”.")))
        if code and not item["novelty"]:
            item["novelty"] = InitiativeNovelty.CONTINUING  # a code names what it continues
        elif code and item["novelty"] == InitiativeNovelty.NEW:
            row_errors.append(
                _cell_error(
                    row_number,
                    "novelty",
                    _("a new model continues none: write “continuing” or remove the code."),
                )
            )
        item["area"] = None
        if str(cells["area"] or "").strip():
            item["area"], problem = areas.find(cells["area"])
            if problem:
                row_errors.append(_cell_error(row_number, "area", problem))
        item["households"] = []
        codes = [int(code) for code in HOUSEHOLD_CODE.findall(str(cells["households"] or ""))]
        if codes:
            found = Household.objects.select_related("area").in_bulk(codes)
            unknown = [code for code in codes if code not in found]
            if unknown:
                row_errors.append(
                    _cell_error(
                        row_number,
                        "households",
                        _("no household with the code %(codes)s.")
                        % {"codes": ", ".join(f"#{c}" for c in unknown)},
                    )
                )
            item["households"] = [found[code] for code in codes if code in found]
        elif str(cells["households"] or "").strip():
            row_errors.append(
                _cell_error(row_number, "households", _("write each household with its code, e.g. (#12)."))
            )
        if not row_errors:
            item_fields = {k: v for k, v in item.items() if k != "households"}
            built = RegistrationItem(registration=registration, **item_fields)
            if kind == ItemKind.SPONSORSHIP_PLEDGE:
                built.named_households = item["households"]
            for finding in rules.item_findings(registration, built, len(items) + 1):
                row_errors.append(
                    _("Row %(row)s: %(message)s") % {"row": row_number, "message": finding.message}
                )
        errors.extend(row_errors)
        items.append(item)
    if not items and not errors:
        errors.append(_("The file has no item."))
    return UploadResult(items, errors)


@transaction.atomic
def apply_upload(*, registration: Registration, items: list[dict], version: int, by) -> Registration:
    """Replace the draft's items with those ``parse_upload`` read, all or nothing.

    The change log gets an entry per item: the items removed through their delete signal,
    the items added here (written in bulk, they send none), unless the service has logged
    them itself."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    from registrations import services

    registration = services.save_items(
        registration=registration, items=items, version=version, by=by, action=RegistrationAction.UPLOADED
    )
    added = list(RegistrationItem.objects.filter(registration=registration))
    logged = set(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(RegistrationItem),
            action=LogEntry.Action.CREATE,
            object_id__in=[item.pk for item in added],
        ).values_list("object_id", flat=True)
    )
    audit.audit_created([item for item in added if item.pk not in logged], by)
    return registration
