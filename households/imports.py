"""Reading commune review lists (.xlsx) and turning them into a plan, then applying it.

Reads the layout commune offices already keep (title rows, a two-row merged header where
"Năm sinh" splits into "Nam" / "Nữ", a "(1) … (10)" numbers row, a totals line and a
signature block) as well as the portal's own template, which has the same header. The
header row is found by its labels, not by its position.

The file is read once, at upload (``read_list``, through core.spreadsheets, which refuses a
sheet reaching too far before any cell is read): what it holds is kept as ``ReviewRows`` on
the upload (``ReviewImport.parsed``), not the file. The preview and the confirmation compare
those rows with the database as it is then (``plan_rows``); neither reads the file again.

Nothing is written until ``apply_plan``; it re-reads the database and writes every row in
one transaction with bulk operations (the number of queries does not grow with the rows),
with the change log's entry of each household and status it creates or changes.
The uploads themselves are kept between the preview and the confirmation by the services
at the end (``upload_review_list``, ``confirm_review_list``): the views write nothing. A
list refused at upload (a file that cannot be read, or rows with errors) is not kept.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, spreadsheets
from core.text import normalize, normalized_for
from organizations import access
from organizations.access import Permission
from organizations.models import Unit, UnitLevel, User

from . import aid, gaps, standards
from .models import (
    HOUSEHOLD_IDENTITY_UNIQUE,
    Ethnicity,
    Gender,
    Household,
    HouseholdStatus,
    PovertyStandard,
    ReviewImport,
    Status,
)

# What applying a list writes on a household already there, and on its status of the year.
HOUSEHOLD_FIELDS = ["gender", "ethnicity", "members", "is_policy", "note"]
STATUS_FIELDS = ["status", "standard", "recorded_by", "recorded_at"]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 150 * 1024 * 1024
MAX_ROWS = 50_000  # data rows; a file with this many or more is refused
# How far a sheet of a review list may reach (core.spreadsheets checks it before reading a
# cell). A commune's list has some hundreds to a few thousand households (a merged commune
# listing every status, about 15,000) in 10 to 20 columns, under some 30 rows of title,
# header, totals and signatures. Rows: the data rows above and 200 for those. Columns: 50
# (up to AX) leave room for an office's own columns (deprivation indicators, ID numbers,
# phone) beside the ten read. Cells: 1,000,000 fit 50,000 rows of 20 columns or 20,000 of 50,
# and keep the grid the reader allocates (from A1 to the last cell) under about 100 MB.
EXTRA_ROWS = 200
MAX_COLUMNS = 50
MAX_CELLS = 1_000_000
HEADER_SEARCH_ROWS = 30
BATCH = 1000

# Column key -> accepted header labels (normalized, punctuation removed).
COLUMNS = {
    "number": ["stt", "so tt", "so thu tu"],
    "name": ["ho va ten chu ho", "ho ten chu ho", "chu ho", "ten chu ho"],
    "birth_year": ["nam sinh"],
    "gender": ["gioi tinh"],
    "ethnicity": ["dan toc"],
    "area": ["thon lang", "thon", "khu dan cu", "thon lang to dan pho", "thon to dan pho"],
    "members": ["so nhan khau", "nhan khau", "so khau"],
    "status": ["phan loai ho", "phan loai", "tinh trang", "loai ho"],
    "policy": ["ho chinh sach", "chinh sach"],
    "note": ["ghi chu"],
}
REQUIRED = ["name", "birth_year", "area", "status"]

STATUS_WORDS = {
    "ho ngheo": Status.POOR,
    "ngheo": Status.POOR,
    "ho can ngheo": Status.NEAR_POOR,
    "can ngheo": Status.NEAR_POOR,
    "ho thoat ngheo": Status.ESCAPED,
    "thoat ngheo": Status.ESCAPED,
    "ho moi thoat ngheo": Status.ESCAPED,
    "ho thoat can ngheo": Status.ESCAPED_NEAR,
    "thoat can ngheo": Status.ESCAPED_NEAR,
    "ho co muc song trung binh": Status.AVERAGE,
    "muc song trung binh": Status.AVERAGE,
    "trung binh": Status.AVERAGE,
    "khong": Status.NONE,
}
MALE_WORDS = {"nam", "male"}
FEMALE_WORDS = {"nu", "female"}

# The portal's own template: the same two-row header as the commune lists.
TEMPLATE_HEADER = [
    "STT",
    "Họ và tên chủ hộ",
    "Năm sinh",
    None,
    "Dân tộc",
    "Thôn, làng",
    "Số nhân khẩu",
    "Phân loại hộ",
    "Hộ chính sách",
    "Ghi chú",
]
TEMPLATE_SUBHEADER = [None, None, "Nam", "Nữ", None, None, None, None, None, None]


def label_key(value) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]", " ", normalize(str(value or "")))).strip()


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedRow:
    row: int
    head_name: str
    gender: str
    birth_year: int | None
    ethnicity_id: int | None
    area_id: int
    area_name: str
    members: int
    status: str
    is_policy: bool
    note: str

    @property
    def key(self):
        return (self.area_id, normalized_for(Household, self.head_name), self.birth_year)


@dataclass
class Plan:
    commune: Unit
    year: int
    create: list[ParsedRow] = field(default_factory=list)
    update: list[tuple[ParsedRow, Household]] = field(default_factory=list)
    unchanged: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # The year the list's title names ("DANH SÁCH HỘ NGHÈO ... NĂM 2017"), if any.
    title_year: int | None = None

    @property
    def summary(self) -> dict:
        return {
            "create": len(self.create),
            "update": len(self.update),
            "unchanged": len(self.unchanged),
            "errors": len(self.errors),
        }


@dataclass
class ReviewRows:
    """What a review list's file holds, read once at upload: the header's label of each column
    read (by column key), whether the year of birth is split into "Nam" / "Nữ" (then
    ``birth_year_female`` is the "Nữ" column), the year the title names, and each data row as
    (row number in the file, column key -> value). Kept on the upload as JSON (``as_json``)."""

    labels: dict[str, str]
    split: bool
    title_year: int | None
    rows: list[tuple[int, dict[str, Any]]]

    def keys(self) -> list[str]:
        return [*self.labels, *(["birth_year_female"] if self.split else [])]

    def as_json(self) -> dict:
        keys = self.keys()
        return {
            "labels": self.labels,
            "split": self.split,
            "title_year": self.title_year,
            "keys": keys,
            "rows": [
                [number, *(_json_value(values.get(key)) for key in keys)] for number, values in self.rows
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> ReviewRows:
        """Read back ``as_json``; an empty dict (the field's default) is a list without rows."""
        keys = data.get("keys", [])
        return cls(
            labels=data.get("labels", {}),
            split=data.get("split", False),
            title_year=data.get("title_year"),
            rows=[(row[0], dict(zip(keys, row[1:], strict=True))) for row in data.get("rows", [])],
        )


def _json_value(value):
    """A cell's value as JSON keeps it: dates and times as the text the checks read them as."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return str(value)


# ---------------------------------------------------------------- the file itself


def size_error() -> ValidationError:
    return ValidationError(
        _("The file is larger than %(size)s MB. Split the list into several files.")
        % {"size": max(MAX_FILE_BYTES // (1024 * 1024), 1)}
    )


def limits() -> spreadsheets.Limits:
    return spreadsheets.Limits(
        file_bytes=MAX_FILE_BYTES,
        uncompressed_bytes=MAX_UNCOMPRESSED_BYTES,
        rows=MAX_ROWS + EXTRA_ROWS,
        columns=MAX_COLUMNS,
        cells=MAX_CELLS,
    )


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int], dict[str, str], bool] | None:
    """(index of the last header row, column key -> index, key -> label, split birth year)."""
    for index, row in enumerate(rows):
        keys = [label_key(c) for c in row]
        if not any(k in COLUMNS["name"] for k in keys):
            continue
        columns, labels = {}, {}
        for col, key in enumerate(keys):
            for name, accepted in COLUMNS.items():
                if key in accepted and name not in columns:
                    columns[name] = col
                    labels[name] = str(row[col]).strip()
        split = False
        last = index
        if index + 1 < len(rows):
            sub = [label_key(c) for c in rows[index + 1]]
            if "birth_year" in columns:
                start = columns["birth_year"]
                if start < len(sub) and sub[start] in MALE_WORDS | FEMALE_WORDS:
                    split = True
                    last = index + 1
        return last, columns, labels, split
    return None


TITLE_YEAR = re.compile(r"\bnam ((?:19|20)\d\d)\b")
NUMBER_ROW = re.compile(r"^\(\d+\)$")


def _year(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdecimal() else -1


def read_list(content: bytes) -> ReviewRows:
    """Read the file once (core.spreadsheets checks it first): the sheet with the header of a
    review list, its title's year, and its data rows. Raises ValidationError for a file that
    is not a readable review list; the rows' values are checked against the database later
    (``plan_rows``)."""
    book = spreadsheets.read_workbook(content, limits=limits())
    rows = header = None
    for name in book.sheet_names:
        sheet_rows = book.rows(name)
        found = _find_header(sheet_rows[:HEADER_SEARCH_ROWS])
        if found is not None:
            rows, header = sheet_rows, found
            break
    if rows is None:
        raise ValidationError(
            _(
                "No sheet of this file has the header of a review list "
                "(a row with the column “Họ và tên chủ hộ”). Check that you chose the right file."
            )
        )
    last_header, columns, labels, split = header
    title_year = None
    for title_row in rows[: max(last_header - 1, 0)]:
        for value in title_row:
            match = TITLE_YEAR.search(label_key(value))
            if match and title_year is None:
                title_year = int(match.group(1))
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        names = {
            "name": "Họ và tên chủ hộ",
            "birth_year": "Năm sinh",
            "area": "Thôn, làng",
            "status": "Phân loại hộ",
        }
        raise ValidationError(
            _("The header lacks the columns: %(columns)s.")
            % {"columns": ", ".join(names[k] for k in missing)}
        )
    name_col = columns["name"]
    read = ReviewRows(labels=labels, split=split, title_year=title_year, rows=[])
    # The "Nữ" column of a split year of birth is the one after "Nam".
    wanted = {**columns, **({"birth_year_female": columns["birth_year"] + 1} if split else {})}
    for index in range(last_header + 1, len(rows)):
        values = rows[index]
        if not any(v is not None for v in values):
            continue
        texts = [str(v).strip() for v in values if v is not None]
        if all(NUMBER_ROW.match(t) for t in texts):
            continue
        lead = [v for v in values[: name_col + 1] if isinstance(v, str)]
        if any(label_key(t).startswith(("tong cong", "tong so")) for t in lead):
            break
        read.rows.append(
            (index + 1, {key: values[col] if col < len(values) else None for key, col in wanted.items()})
        )
        if len(read.rows) >= MAX_ROWS:
            raise _too_many()
    return read


def plan_rows(rows: ReviewRows, *, commune: Unit, year: int) -> Plan:
    """Compare the rows a file held with the database as it is now; raises ValidationError for
    a year no status can be recorded for (later than this one, or without a poverty standard
    in force: households/standards.py). The list is the commune's approved one: its
    classification is taken as it stands, deprivation counts are the form's check."""
    try:
        standards.check_status(year=year, status=Status.AVERAGE, deprivations=[])
    except ValidationError as error:
        raise ValidationError(error.message_dict["year"]) from None
    plan = Plan(commune=commune, year=year, title_year=rows.title_year)
    _plan_rows(plan, rows)
    return plan


def parse(content: bytes, *, commune: Unit, year: int) -> Plan:
    """Read the file and compare it with the database (``read_list``, then ``plan_rows``)."""
    return plan_rows(read_list(content), commune=commune, year=year)


def _too_many() -> ValidationError:
    return ValidationError(
        _("The file has %(max)s rows or more; split it into files of fewer rows.")
        % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
    )


def _plan_rows(plan: Plan, rows: ReviewRows) -> None:
    commune, year, labels = plan.commune, plan.year, rows.labels
    areas = {a.name_normalized: a for a in Unit.objects.filter(parent=commune, level=UnitLevel.AREA)}
    ethnicities = {e.name_normalized: e.pk for e in Ethnicity.objects.all()}

    parsed: list[ParsedRow] = []
    seen: dict[tuple, int] = {}
    for number, values in rows.rows:
        errors = []
        name = " ".join(str(values.get("name") or "").split())
        if not name:
            errors.append(RowError(number, labels["name"], _("The name of the head of household is empty.")))
        gender = ""
        birth_year = None
        if rows.split:
            male, female = _year(values.get("birth_year")), _year(values.get("birth_year_female"))
            if male is not None and female is not None:
                errors.append(
                    RowError(
                        number,
                        labels["birth_year"],
                        _("The year of birth is in both the Nam and Nữ columns."),
                    )
                )
            birth_year = male if male is not None else female
            gender = Gender.MALE if male is not None else (Gender.FEMALE if female is not None else "")
        else:
            birth_year = _year(values.get("birth_year"))
            gender_text = label_key(values.get("gender"))
            gender = (
                Gender.MALE
                if gender_text in MALE_WORDS
                else Gender.FEMALE
                if gender_text in FEMALE_WORDS
                else ""
            )
        if birth_year is not None and not 1900 <= birth_year <= year:
            errors.append(RowError(number, labels["birth_year"], _("The year of birth is not a valid year.")))
            birth_year = None
        area_text = " ".join(str(values.get("area") or "").split())
        area = areas.get(normalize(area_text))
        if area is None:
            if area_text:
                message = _("“%(area)s” is not a residential area of %(commune)s.") % {
                    "area": area_text,
                    "commune": commune.name,
                }
            else:
                message = _("The residential area is empty.")
            errors.append(RowError(number, labels["area"], message))
        status_text = str(values.get("status") or "").strip()
        status = STATUS_WORDS.get(label_key(status_text))
        if status is None:
            errors.append(
                RowError(
                    number,
                    labels["status"],
                    _("“%(value)s” is not a household status (Hộ nghèo, Hộ cận nghèo, Hộ thoát nghèo, …).")
                    % {"value": status_text},
                )
            )
        ethnicity_id = None
        ethnicity_text = str(values.get("ethnicity") or "").strip()
        if ethnicity_text:
            ethnicity_id = ethnicities.get(normalize(ethnicity_text))
            if ethnicity_id is None:
                errors.append(
                    RowError(
                        number,
                        labels.get("ethnicity", ""),
                        _("“%(value)s” is not in the list of ethnicities.") % {"value": ethnicity_text},
                    )
                )
        members_value = values.get("members")
        members = 1
        if members_value not in (None, ""):
            members = _year(members_value)
            if members is None or not 1 <= members <= 99:
                errors.append(
                    RowError(
                        number,
                        labels.get("members", ""),
                        _("The number of members must be between 1 and 99."),
                    )
                )
                members = 1
        is_policy = bool(str(values.get("policy") or "").strip())
        note = " ".join(str(values.get("note") or "").split())[:255]
        if errors:
            plan.errors.extend(errors)
            continue
        row = ParsedRow(
            row=number,
            head_name=name[:150],
            gender=gender,
            birth_year=birth_year,
            ethnicity_id=ethnicity_id,
            area_id=area.pk,
            area_name=area.name,
            members=members,
            status=status,
            is_policy=is_policy,
            note=note,
        )
        if row.key in seen:
            plan.errors.append(
                RowError(
                    number,
                    labels["name"],
                    _("The same household (name, year of birth, area) is already on row %(row)s.")
                    % {"row": seen[row.key]},
                )
            )
            continue
        seen[row.key] = number
        parsed.append(row)

    existing = {
        (h.area_id, h.name_normalized, h.birth_year): h
        for h in Household.objects.filter(area__parent=commune, area__level=UnitLevel.AREA)
    }
    statuses = dict(
        HouseholdStatus.objects.filter(household__area__parent=commune, year=year).values_list(
            "household_id", "status"
        )
    )
    for row in parsed:
        household = existing.get(row.key)
        if household is None:
            plan.create.append(row)
        elif _differs(row, household) or statuses.get(household.pk) != row.status:
            plan.update.append((row, household))
        else:
            plan.unchanged.append(row)


def _differs(row: ParsedRow, household: Household) -> bool:
    return (
        (row.gender and row.gender != household.gender)
        or (row.ethnicity_id and row.ethnicity_id != household.ethnicity_id)
        or row.members != household.members
        or row.is_policy != household.is_policy
        or (row.note and row.note != household.note)
    )


@transaction.atomic
def apply_plan(
    *, commune: Unit, year: int, by: User, rows: ReviewRows | None = None, content: bytes | None = None
) -> Plan:
    """Compare the rows an upload read (``rows``; or the file ``content``, read here: the
    benchmark and the tests) with the current database and write every row, or nothing."""
    access.require(by, Permission.EDIT_IN_SCOPE, commune)
    plan = plan_rows(rows if rows is not None else read_list(content), commune=commune, year=year)
    if plan.errors:
        raise ValidationError(
            _("The file has errors; correct them and upload it again. Nothing was changed.")
        )
    standard = PovertyStandard.for_year(year)
    new = [
        Household(
            area_id=row.area_id,
            head_name=row.head_name,
            name_normalized=normalized_for(Household, row.head_name),
            gender=row.gender,
            birth_year=row.birth_year,
            ethnicity_id=row.ethnicity_id,
            members=row.members,
            is_policy=row.is_policy,
            note=row.note,
            created_by=by,
        )
        for row in plan.create
    ]
    try:
        with transaction.atomic():
            Household.objects.bulk_create(new, batch_size=BATCH)
    except IntegrityError as error:
        # Someone saved one of the list's new households after the plan was read: the
        # constraint refuses the second one; the user looks at the preview again.
        if HOUSEHOLD_IDENTITY_UNIQUE not in str(error):
            raise
        raise ValidationError(
            _(
                "While the list was being applied, someone else added one of its households. "
                "Nothing was changed; open the preview again and confirm."
            )
        ) from error
    if new and new[0].pk is None:  # a database that does not return ids
        keys = {row.key for row in plan.create}
        by_key = {
            (h.area_id, h.name_normalized, h.birth_year): h
            for h in Household.objects.filter(area__parent=commune)
            if (h.area_id, h.name_normalized, h.birth_year) in keys
        }
        new = [by_key[row.key] for row in plan.create]
    audit.audit_created(new, by)
    now = timezone.now()
    changed = []
    households_before = audit.before(household for _row, household in plan.update)
    policy_before = {household.pk: household.is_policy for _row, household in plan.update}
    flags = {household.pk: row.is_policy for row, household in plan.update}
    for row, household in plan.update:
        if _differs(row, household):
            household.gender = row.gender or household.gender
            household.ethnicity_id = row.ethnicity_id or household.ethnicity_id
            household.members = row.members
            household.is_policy = row.is_policy
            household.note = row.note or household.note
            household.updated_at = now
            changed.append(household)
    Household.objects.bulk_update(changed, [*HOUSEHOLD_FIELDS, "updated_at"], batch_size=BATCH)
    if changed:
        Household.objects.filter(pk__in=[h.pk for h in changed]).update(version=F("version") + 1)
    audit.audit_updated(changed, by, households_before, HOUSEHOLD_FIELDS)
    existing_status = {
        s.household_id: s
        for s in HouseholdStatus.objects.filter(
            household_id__in=[h.pk for _row, h in plan.update], year=year
        ).select_related("household")  # named in the change log's entries
    }
    statuses_before = audit.before(existing_status.values())
    to_create = [
        HouseholdStatus(household=h, year=year, status=row.status, standard=standard, recorded_by=by)
        for row, h in zip(plan.create, new, strict=True)
    ]
    to_update = []
    for row, household in plan.update:
        current = existing_status.get(household.pk)
        if current is None:
            to_create.append(
                HouseholdStatus(
                    household=household, year=year, status=row.status, standard=standard, recorded_by=by
                )
            )
        elif current.status != row.status:
            current.status = row.status
            current.standard = standard
            current.recorded_by = by
            current.recorded_at = now
            to_update.append(current)
    HouseholdStatus.objects.bulk_create(to_create, batch_size=BATCH)
    HouseholdStatus.objects.bulk_update(to_update, STATUS_FIELDS, batch_size=BATCH)
    # Bulk writes send no save() signal: the change log gets its entries here, one per
    # household and status created or changed, old → new.
    audit.audit_created(to_create, by)
    audit.audit_updated(to_update, by, statuses_before, STATUS_FIELDS)
    # The gap summary of the commune's areas, in this transaction: the year's rows, the
    # every-year row (new or changed policy households), and the other years of households
    # whose policy flag changed.
    years = {year} | gaps.household_years(pk for pk, was in policy_before.items() if was != flags[pk])
    areas = list(commune.children.values_list("pk", flat=True))
    gaps.refresh(areas=areas, years=years)
    # The year's review decides the outcome of the year before's sponsorships (rules.outcome).
    aid.refresh(areas=areas, years=[year - 1])
    return plan


# ---------------------------------------------------------------- the uploads, kept for their preview

# Uploaded lists are personal data: previews never confirmed are kept this long.
PREVIEW_KEPT = datetime.timedelta(days=1)
# The code of the error a second confirmation of the same upload gets.
ALREADY_APPLIED = "already_applied"


class ListRefused(ValidationError):
    """A list whose rows have errors, refused at upload: nothing of it is kept. ``plan`` lists
    the errors, shown to the user with the rows they are on."""

    def __init__(self, plan: Plan):
        super().__init__(_("The file has errors; correct them and upload it again. Nothing was changed."))
        self.plan = plan


@dataclass
class ReadUpload:
    """An uploaded file as read once: its name, its checksum and the rows it holds."""

    file_name: str
    sha256: str
    rows: ReviewRows


def read_upload(*, file_name: str, content: bytes) -> ReadUpload:
    """Read an uploaded review list (``read_list``); raises ValidationError for a file that
    is not a readable review list."""
    return ReadUpload(
        file_name=file_name[:255], sha256=hashlib.sha256(content).hexdigest(), rows=read_list(content)
    )


# A file read at a try whose form had an error (no year, no commune) comes back with the next
# try in a signed token, so the user does not choose it again: the rows it held, not the file,
# bound to the user and good for as long as an unconfirmed preview is kept. A list too big to
# send back and forth (some tens of thousands of rows) is not kept.
KEPT_SALT = "households.imports.kept"
KEPT_MAX_CHARS = 1_500_000


def keep_token(upload: ReadUpload, *, user: User) -> str:
    """The token that brings ``upload`` back with the next try; empty when it is too big."""
    token = signing.dumps(
        {"user": user.pk, "name": upload.file_name, "sha256": upload.sha256, "rows": upload.rows.as_json()},
        salt=KEPT_SALT,
        compress=True,
    )
    return token if len(token) <= KEPT_MAX_CHARS else ""


def kept_upload(token: str, *, user: User) -> ReadUpload | None:
    """The upload a ``keep_token`` brings back, or None when it is not the user's, has been
    altered or is older than an unconfirmed preview is kept."""
    try:
        data = signing.loads(token, salt=KEPT_SALT, max_age=PREVIEW_KEPT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("user") != user.pk:
        return None
    return ReadUpload(file_name=data["name"], sha256=data["sha256"], rows=ReviewRows.from_json(data["rows"]))


def no_year_error() -> ValidationError:
    return ValidationError(
        _("The title of the list names no year (such as “NĂM 2024”): enter the year of the review."),
        code="no_year",
    )


def remove_expired_previews() -> int:
    """Deletes the previews left unconfirmed for longer than PREVIEW_KEPT (their rows are
    personal data): at each upload, and every night by the worker's schedule."""
    deleted, _by_model = ReviewImport.objects.filter(
        applied_at__isnull=True, uploaded_at__lt=timezone.now() - PREVIEW_KEPT
    ).delete()
    return deleted


def upload_review_list(*, commune: Unit, year: int, file_name: str, content: bytes, by: User) -> ReviewImport:
    """Read an uploaded review list once and keep it for its preview (``keep_review_list``)."""
    access.require(by, Permission.EDIT_IN_SCOPE, commune)
    return keep_review_list(
        commune=commune, year=year, upload=read_upload(file_name=file_name, content=content), by=by
    )


@transaction.atomic
def keep_review_list(*, commune: Unit, year: int | None, upload: ReadUpload, by: User) -> ReviewImport:
    """Keep what an uploaded review list holds (``ReviewRows``, not the file) for its preview
    and confirmation; the year is the one its title names when ``year`` is None. A year that
    cannot be known or recorded raises ValidationError, a list with errors in its rows
    ``ListRefused``: neither is kept. Previews left unconfirmed for a day are deleted."""
    access.require(by, Permission.EDIT_IN_SCOPE, commune)
    year = year or upload.rows.title_year
    if not year:
        raise no_year_error()
    plan = plan_rows(upload.rows, commune=commune, year=year)
    if plan.errors:
        raise ListRefused(plan)
    remove_expired_previews()
    return ReviewImport.objects.create(
        commune=commune,
        year=year,
        file_name=upload.file_name,
        parsed=upload.rows.as_json(),
        sha256=upload.sha256,
        uploaded_by=by,
    )


def preview_plan(batch: ReviewImport) -> Plan:
    """What confirming a kept upload would do now: the rows its file held, read at upload,
    compared with the database as it is (the file is not read again)."""
    return plan_rows(ReviewRows.from_json(batch.parsed), commune=batch.commune, year=batch.year)


@transaction.atomic
def confirm_review_list(*, batch: ReviewImport, by: User) -> Plan:
    """Apply an upload its uploader has previewed, once: the upload's row is locked for the
    transaction (``select_for_update``), so of two confirmations of the same upload the
    second waits for the first, then finds it applied and changes nothing (a ValidationError
    with the code ``ALREADY_APPLIED``). The applied upload keeps its summary, not its rows."""
    locked = ReviewImport.objects.select_for_update(of=("self",)).select_related("commune").get(pk=batch.pk)
    if locked.uploaded_by_id != by.pk:
        raise PermissionDenied
    if locked.applied_at is not None:
        raise ValidationError(_("This file has already been applied."), code=ALREADY_APPLIED)
    plan = apply_plan(
        rows=ReviewRows.from_json(locked.parsed), commune=locked.commune, year=locked.year, by=by
    )
    locked.applied_at = timezone.now()
    locked.summary = plan.summary
    locked.parsed = {}
    locked.save(update_fields=["applied_at", "summary", "parsed"])
    return plan
