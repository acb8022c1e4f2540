"""Reading commune review lists (.xlsx) and turning them into a plan, then applying it.

Reads the layout commune offices already keep (title rows, a two-row merged header where
"Năm sinh" splits into "Nam" / "Nữ", a "(1) … (10)" numbers row, a totals line and a
signature block) as well as the portal's own template, which has the same header. The
header row is found by its labels, not by its position.

Nothing is written until ``apply_plan``; it re-reads the database and writes every row in
one transaction with bulk operations (the number of queries does not grow with the rows),
with the change log's entry of each household and status it creates or changes.
The uploads themselves are kept between the preview and the confirmation by the services
at the end (``upload_review_list``, ``confirm_review_list``): the views write nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.text import normalize, normalized_for
from organizations import access
from organizations.access import Permission
from organizations.models import Unit, UnitLevel, User

from . import aid, gaps, standards
from .models import Ethnicity, Gender, Household, HouseholdStatus, PovertyStandard, ReviewImport, Status

# What applying a list writes on a household already there, and on its status of the year.
HOUSEHOLD_FIELDS = ["gender", "ethnicity", "members", "is_policy", "note"]
STATUS_FIELDS = ["status", "standard", "recorded_by", "recorded_at"]

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 150 * 1024 * 1024
MAX_COMPRESSION_RATIO = 150
MAX_ROWS = 50_000  # data rows; a file with this many or more is refused
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


# ---------------------------------------------------------------- the file itself


def size_error() -> ValidationError:
    return ValidationError(
        _("The file is larger than %(size)s MB. Split the list into several files.")
        % {"size": max(MAX_FILE_BYTES // (1024 * 1024), 1)}
    )


def check_container(content: bytes) -> None:
    """Refuse what is not a safe .xlsx before any XML is parsed."""
    if len(content) > MAX_FILE_BYTES:
        raise size_error()
    if not content.startswith(b"PK"):
        raise ValidationError(
            _("This is not an Excel file (.xlsx). Save the list as .xlsx and upload it again.")
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ValidationError(_("The file is damaged and cannot be read.")) from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise ValidationError(
            _("This is not an Excel file (.xlsx). Save the list as .xlsx and upload it again.")
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES or any(
        info.file_size > 1024 * 1024 and info.file_size / max(info.compress_size, 1) > MAX_COMPRESSION_RATIO
        for info in infos
    ):
        raise ValidationError(_("The file expands to far more data than a review list holds; it is refused."))


FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
CELL_REF = re.compile(rb'\sr="([A-Z]{1,3}[0-9]+)"')


def _refuse_formulas(content: bytes) -> None:
    """Formulas are refused: their cached values may be stale or missing. The sheet XML is
    scanned directly, which is much faster than reading cell by cell."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        xml = archive.read(info)
        match = FORMULA_TAG.search(xml)
        if match:
            refs = CELL_REF.findall(xml[max(0, match.start() - 300) : match.start()])
            cell = refs[-1].decode() if refs else "?"
            raise ValidationError(
                _(
                    "Cell %(cell)s holds a formula. Copy the list and paste it as values only, then upload it again."
                )
                % {"cell": cell}
            )


def _read_sheets(content: bytes):
    """Yield (sheet name, rows as lists of values from A1) with python-calamine (fast)."""
    from python_calamine import CalamineWorkbook

    check_container(content)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = list(workbook.sheet_names)
    except Exception:  # noqa: BLE001 - any parser failure means a damaged file
        raise ValidationError(_("The file is damaged and cannot be read.")) from None
    _refuse_formulas(content)
    for name in names:
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=MAX_ROWS + 200)
        except Exception:  # noqa: BLE001
            raise ValidationError(_("The file is damaged and cannot be read.")) from None
        yield name, rows


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


def parse(content: bytes, *, commune: Unit, year: int) -> Plan:
    """Read the file and compare it with the database; raises ValidationError for a bad file
    or a year no status can be recorded for (later than this one, or without a poverty
    standard in force: households/standards.py). The list is the commune's approved one: its
    classification is taken as it stands, deprivation counts are the form's check."""
    try:
        standards.check_status(year=year, status=Status.AVERAGE, deprivations=[])
    except ValidationError as error:
        raise ValidationError(error.message_dict["year"]) from None
    plan = Plan(commune=commune, year=year)
    rows = header = None
    for _name, sheet_rows in _read_sheets(content):
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
    for title_row in rows[: max(last_header - 1, 0)]:
        for value in title_row:
            match = TITLE_YEAR.search(label_key(value))
            if match and plan.title_year is None:
                plan.title_year = int(match.group(1))
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
    raw_rows = []
    for index in range(last_header + 1, len(rows)):
        values = [None if v == "" else v for v in rows[index]]
        if not any(v is not None for v in values):
            continue
        texts = [str(v).strip() for v in values if v is not None]
        if all(NUMBER_ROW.match(t) for t in texts):
            continue
        lead = [v for v in values[: name_col + 1] if isinstance(v, str)]
        if any(label_key(t).startswith(("tong cong", "tong so")) for t in lead):
            break
        raw_rows.append((index + 1, values))
        if len(raw_rows) >= MAX_ROWS:
            raise _too_many()
    _plan_rows(plan, raw_rows, columns, labels, split)
    return plan


def _too_many() -> ValidationError:
    return ValidationError(
        _("The file has %(max)s rows or more; split it into files of fewer rows.")
        % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
    )


def _plan_rows(plan: Plan, raw_rows, columns, labels, split) -> None:
    commune, year = plan.commune, plan.year
    areas = {a.name_normalized: a for a in Unit.objects.filter(parent=commune, level=UnitLevel.AREA)}
    ethnicities = {e.name_normalized: e.pk for e in Ethnicity.objects.all()}

    def get(values, key, offset=0):
        col = columns.get(key)
        if col is None or col + offset >= len(values):
            return None
        return values[col + offset]

    parsed: list[ParsedRow] = []
    seen: dict[tuple, int] = {}
    for number, values in raw_rows:
        errors = []
        name = " ".join(str(get(values, "name") or "").split())
        if not name:
            errors.append(RowError(number, labels["name"], _("The name of the head of household is empty.")))
        gender = ""
        birth_year = None
        if split:
            male, female = _year(get(values, "birth_year")), _year(get(values, "birth_year", 1))
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
            birth_year = _year(get(values, "birth_year"))
            gender_text = label_key(get(values, "gender"))
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
        area_text = " ".join(str(get(values, "area") or "").split())
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
        status_text = str(get(values, "status") or "").strip()
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
        ethnicity_text = str(get(values, "ethnicity") or "").strip()
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
        members_value = get(values, "members")
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
        is_policy = bool(str(get(values, "policy") or "").strip())
        note = " ".join(str(get(values, "note") or "").split())[:255]
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
def apply_plan(*, content: bytes, commune: Unit, year: int, by: User) -> Plan:
    """Read the file again against the current database and write every row, or nothing."""
    access.require(by, Permission.EDIT_IN_SCOPE, commune)
    plan = parse(content, commune=commune, year=year)
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
    Household.objects.bulk_create(new, batch_size=BATCH)
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


@transaction.atomic
def upload_review_list(*, commune: Unit, year: int, file_name: str, content: bytes, by: User) -> ReviewImport:
    """Keep an uploaded review list for its preview and confirmation, once the file is a
    safe .xlsx (``check_container``); previews left unconfirmed for a day are deleted."""
    access.require(by, Permission.EDIT_IN_SCOPE, commune)
    check_container(content)
    ReviewImport.objects.filter(
        applied_at__isnull=True, uploaded_at__lt=timezone.now() - PREVIEW_KEPT
    ).delete()
    return ReviewImport.objects.create(
        commune=commune,
        year=year,
        file_name=file_name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by,
    )


@transaction.atomic
def confirm_review_list(*, batch: ReviewImport, by: User) -> Plan:
    """Apply an upload its uploader has previewed, once: the upload's row is locked for the
    transaction (``select_for_update``), so of two confirmations of the same upload the
    second waits for the first, then finds it applied and changes nothing (a ValidationError
    with the code ``ALREADY_APPLIED``). The applied upload keeps its summary, not its file."""
    locked = ReviewImport.objects.select_for_update(of=("self",)).select_related("commune").get(pk=batch.pk)
    if locked.uploaded_by_id != by.pk:
        raise PermissionDenied
    if locked.applied_at is not None:
        raise ValidationError(_("This file has already been applied."), code=ALREADY_APPLIED)
    plan = apply_plan(content=bytes(locked.content), commune=locked.commune, year=locked.year, by=by)
    locked.applied_at = timezone.now()
    locked.summary = plan.summary
    locked.content = b""
    locked.save(update_fields=["applied_at", "summary", "content"])
    return plan
