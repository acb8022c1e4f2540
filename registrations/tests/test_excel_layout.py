"""The registration file as an official document the office prints and signs, and a form
that offers names to choose from: checked with openpyxl as downloaded by the users.

- Printed: A4 landscape for its sixteen columns, fit to the page's width and never to one
  page's height, the column headers frozen and printed on every page, NĐ 30 margins;
  Times New Roman everywhere (no Calibri in the styles or the theme); the official header
  with the organization under its superior body (the same kind one level up), merged and
  centred; amounts grouped; a whole-word sheet name with its diacritics; the head's
  signature block (the checks every export passes: portal/tests/test_excel_layout.py).
- Filled in: the kinds, the program's contents and model fields, the areas by their names,
  each from a drop-down list kept on a hidden, protected lists sheet, which also holds what
  the upload needs (the template's version, the organization, the year): nothing technical
  on the form.
- Read back: a downloaded file filled from its lists uploads to the same items; a file of
  the first layout (built here by that layout's writer, as the portal wrote it until now)
  still uploads to the same items.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from core import excel as core_excel
from devdata.registrations import full_items
from organizations.models import OrgKind, Unit, UnitLevel
from portal.tests.test_excel_layout import Expect, _check_sheet
from programs.models import ContentKind
from registrations import excel, services
from registrations.forms import area_labels
from registrations.models import InitiativeNovelty, ItemKind, Registration

# The fields of an item that the file carries, compared before and after a round trip.
FIELDS = (
    "kind",
    "description",
    "content_id",
    "initiative_name",
    "initiative_id",
    "novelty",
    "initiative_field_id",
    "area_id",
    "households_pledged",
    "target_quantity",
    "target_unit",
    "amount",
)


def _items(registration) -> list[tuple]:
    return list(registration.items.order_by("order").values_list(*FIELDS))


def _upload(data: bytes, name="bang-dang-ky.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def filled(world, program, women_iadom):
    return services.save_items(
        registration=women_iadom,
        items=full_items(world, program, women_iadom),
        version=1,
        by=world.phunu_iadom,
    )


def _download(client, registration, **query) -> bytes:
    response = client.get(reverse("registrations:registration_xlsx", args=[registration.pk]), query)
    assert response.status_code == 200
    return response.content


def _defined_list(wb, name: str) -> list:
    """The values of the lists sheet's range a defined name refers to."""
    ((sheet, cells),) = wb.defined_names[name].destinations
    return [row[0].value for row in wb[sheet][cells]]


def _validations(ws) -> dict[str, object]:
    """Column letter -> its data validation."""
    found = {}
    for validation in ws.data_validations.dataValidation:
        for block in validation.sqref.ranges:
            assert block.min_col == block.max_col
            found[get_column_letter(block.min_col)] = validation
    return found


# ---------------------------------------------------------------- printed


def test_registration_file_prints_as_an_official_a4_document(client_for, world, filled):
    data = _download(client_for(world.phunu_iadom), filled)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():  # styles, theme, sheets: not even a default
            assert b"Calibri" not in archive.read(member), member
    wb = load_workbook(io.BytesIO(data))
    assert wb._named_styles["Normal"].font.name == core_excel.FONT
    assert wb.sheetnames == ["Bảng đăng ký", "Danh mục"]
    ws = wb["Bảng đăng ký"]
    assert ws.sheet_state == "visible" and wb.active.title == "Bảng đăng ký"
    # Page setup, the header merged and centred, fonts, grouped amounts, the signature.
    amounts = tuple(excel.COL[key] for key in ("households_pledged", "target_quantity", "amount", "achieved"))
    _check_sheet(ws, Expect("landscape", numbers=amounts), "registration")
    assert ws.print_title_rows.replace("$", "") == f"{excel.HEADING_ROW}:{excel.HEADING_ROW}"
    assert ws.freeze_panes == f"A{excel.FIRST_ITEM_ROW}"
    assert ws.max_column == len(excel.COLUMNS) == 16
    # All sixteen columns on the width of the page at 10 pt or more.
    widths = [ws.column_dimensions[get_column_letter(i)].width for i in range(1, 17)]
    assert sum(widths) <= core_excel.LANDSCAPE_MAX
    # The organization under its superior, the Women's Union of the district, not the
    # district itself; the title and the program under it on the whole width.
    assert ws["A1"].value.replace("\n", " ") == "HỘI LIÊN HIỆP PHỤ NỮ HUYỆN ĐỨC CƠ"
    assert ws["A2"].value.replace("\n", " ") == "HỘI LIÊN HIỆP PHỤ NỮ XÃ IA DOM"
    assert ws["A3"].value == "Số:      /ĐK"
    assert ws["A5"].value == "BẢNG ĐĂNG KÝ NĂM 2017" and ws["A5"].font.sz == core_excel.TITLE_SIZE
    assert ws["A6"].value.endswith("01/CTPH-MTTQ-TCCTXH")
    merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    assert merged[(5, 1)].max_col == 16 and merged[(6, 1)].max_col == 16
    motto = next(c for c in ws[1] if c.value == core_excel.MOTTO[0])
    date = ws.cell(row=3, column=motto.column).value
    assert date == core_excel.date_line("Ia Dom", timezone.localdate()) and ws.cell(3, motto.column).font.i
    # The amount as a number, shown 5.000.000.
    amount = next(c for row in ws.iter_rows() for c in row if c.value == 5_000_000)
    assert amount.number_format == "#,##0" and amount.column == excel.COL["amount"] + 1
    # The head of the organization signs.
    values = [c.value for row in ws.iter_rows(min_row=excel.FIRST_ITEM_ROW) for c in row if c.value]
    assert "TM. BAN CHẤP HÀNH" in values and "CHỦ TỊCH" in values and core_excel.NAME_LINE in values


@pytest.mark.parametrize(
    ("unit", "kind", "parent", "body", "signer"),
    [
        (
            "iadom",
            OrgKind.FRONT,
            "ỦY BAN MTTQ VIỆT NAM XÃ IA DOM",
            "BAN THƯỜNG TRỰC",
            core_excel.FRONT_SIGNER,
        ),
        ("iadom", OrgKind.YOUTH, None, None, ("TM. BAN CHẤP HÀNH", "BÍ THƯ")),
        ("district", OrgKind.FARMERS, None, None, ("TM. BAN CHẤP HÀNH", "CHỦ TỊCH")),
    ],
)
def test_registration_file_is_issued_and_signed_as_its_organization(
    world, period, unit, kind, parent, body, signer
):
    """The Front as its Standing Committee; an organization under its own kind one level up
    (the district's Farmers' Union under the province's), signed by its head."""
    organization = world.org(getattr(world, unit), kind)
    registration = Registration.objects.get(period=period, organization=organization)
    ws = load_workbook(io.BytesIO(excel.workbook_bytes(registration)))[excel.SHEET_TITLE]
    superior = parent or world.org(organization.unit.parent, kind).name.upper()
    assert ws["A1"].value.replace("\n", " ") == superior
    assert ws["A2"].value.replace("\n", " ") == (body or organization.name.upper())
    values = [c.value for row in ws.iter_rows(min_row=excel.FIRST_ITEM_ROW) for c in row if c.value]
    assert all(line in values for line in signer)


def _page_of_rows(ws, unit_points: float) -> dict[int, int]:
    """The page of each row as a spreadsheet program lays them down: fit to the page's
    width at ``unit_points`` a column unit, the column headers repeated, the manual breaks."""
    widths = sum(ws.column_dimensions[get_column_letter(i)].width for i in range(1, 17))
    scale = min(1.0, excel.PAGE_WIDTH / (widths * unit_points))
    starts = {brk.id + 1 for brk in ws.row_breaks.brk}  # a break's id: the row above it

    def height(row):
        return ws.row_dimensions[row].height or core_excel.row_height(1)

    pages, page, used = {}, 1, 0.0
    for row in range(1, ws.max_row + 1):
        overflow = used + height(row) > excel.PAGE_HEIGHT / scale and row > excel.FIRST_ITEM_ROW
        if row in starts or overflow:
            page, used = page + 1, height(excel.HEADING_ROW)
        used += height(row)
        pages[row] = page
    return pages


def test_registration_file_keeps_its_signature_with_the_last_item(world, program, women_iadom):
    """However many items, the signature block is never parted from the table, nor split:
    when it would not fit under the last item, the last item goes over with it."""
    items = full_items(world, program, women_iadom)
    registration, moved = women_iadom, []
    for extra in range(12):
        rows = items + [{"kind": ItemKind.OTHER, "description": f"Việc thêm {n}"} for n in range(extra)]
        registration = services.save_items(
            registration=registration, items=rows, version=registration.version, by=world.phunu_iadom
        )
        ws = load_workbook(io.BytesIO(excel.workbook_bytes(registration)))[excel.SHEET_TITLE]
        last_item = excel.FIRST_ITEM_ROW + len(rows) - 1
        assert ws.cell(row=last_item, column=1).value == len(rows)
        for unit in excel.UNIT_POINTS:
            pages = _page_of_rows(ws, unit)
            assert pages[last_item] == pages[ws.max_row], (len(rows), unit)
        breaks = [brk.id + 1 for brk in ws.row_breaks.brk]
        assert breaks in ([], [last_item]), len(rows)
        if breaks:
            moved.append(len(rows))
    assert moved and moved != list(range(5, 17)), moved  # some go over, not all


# ---------------------------------------------------------------- names and lists


def test_registration_file_shows_names_not_codes_and_nothing_technical(client_for, world, program, filled):
    ws = load_workbook(io.BytesIO(_download(client_for(world.phunu_iadom), filled)))[excel.SHEET_TITLE]
    content = program.contents.get(kind=ContentKind.CONTENT, order=1)
    field = program.contents.get(kind=ContentKind.MODEL_FIELD, order=1)
    headings = [c.value for c in ws[excel.HEADING_ROW]]
    assert headings[:8] == [
        "STT",
        "Loại",
        "Nội dung đăng ký",
        "Nội dung Cuộc vận động",
        "Tên mô hình",
        "Mới hay tiếp tục",
        "Lĩnh vực mô hình",
        "Khu dân cư",
    ]
    rows = [
        [c.value for c in row]
        for row in ws.iter_rows(min_row=excel.FIRST_ITEM_ROW, max_row=excel.FIRST_ITEM_ROW + 4)
    ]
    assert rows[0][1:4] == ["Nội dung Cuộc vận động", "Phát triển kinh tế hộ", f"1. {content.title}"]
    assert rows[1][1] == "Mô hình" and rows[1][5:8] == ["Mới", f"1. {field.title}", world.iadom_areas[0].name]
    assert rows[4][1] == "Chỉ tiêu vận động quỹ"
    shown = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any(excel.TEMPLATE_MARK in v or "BDK" in v or v in ("Mẫu", "Mã tổ chức") for v in shown), (
        "a technical row on the form"
    )


def test_registration_file_offers_drop_down_lists_of_names(client_for, world, program, filled):
    """Kinds, the program's contents and model fields, the commune's residential areas and
    the organization's models, each a list of a hidden, protected sheet; the form's columns
    refuse what is not in the lists, but for a model's name (a new model has a new one)."""
    from activities import services as activity_services

    field = program.contents.filter(kind=ContentKind.MODEL_FIELD).first()
    model = activity_services.create_initiative(
        by=world.admin, organization=filled.organization, field=field, name="Con đường hoa", start_year=2016
    )
    closed = Unit.objects.create(
        name="Làng Đã Nhập", level=UnitLevel.AREA, parent=world.iadom, is_active=False
    )
    wb = load_workbook(io.BytesIO(_download(client_for(world.phunu_iadom), filled)))
    lists = wb[excel.LISTS_TITLE]
    assert lists.sheet_state == "hidden" and lists.protection.sheet
    ws = wb[excel.SHEET_TITLE]
    validations = _validations(ws)
    assert set(validations) == {"B", "D", "E", "F", "G", "H"}
    areas = Unit.objects.areas().subtree_of(world.iadom).filter(is_active=True).order_by("path")
    expected = {
        "B": [str(kind.label) for kind in ItemKind],
        "D": [
            f"{c.order}. {c.title}"
            for c in program.contents.filter(kind=ContentKind.CONTENT).order_by("order")
        ],
        "E": [f"Con đường hoa (#{model.pk})"],
        "F": [str(status.label) for status in InitiativeNovelty],
        "G": [
            f"{c.order}. {c.title}"
            for c in program.contents.filter(kind=ContentKind.MODEL_FIELD).order_by("order")
        ],
        "H": [area.name for area in areas],
    }
    assert "Nội dung Cuộc vận động" in expected["B"] and "Tiếp tục" in expected["F"]
    assert closed.name not in expected["H"] and world.iadom_areas[0].name in expected["H"]
    # Every cell of the table's rows (the items and the spare rows under them), not the
    # signature block under it.
    items = filled.items.count()
    last = excel.FIRST_ITEM_ROW + items + excel.SPARE_ROWS - 1
    for column, validation in validations.items():
        assert validation.type == "list", column
        assert _defined_list(wb, validation.formula1) == expected[column], column
        assert str(validation.sqref) == f"{column}{excel.FIRST_ITEM_ROW}:{column}{last}"
        assert validation.showErrorMessage == (column != "E"), column
    assert ws.cell(row=last + 1, column=1).value is None  # the blank row above the signature
    # The values the file writes are among them (a model's name may be a new one).
    for row in ws.iter_rows(min_row=excel.FIRST_ITEM_ROW, max_row=excel.FIRST_ITEM_ROW + items - 1):
        for column, values in expected.items():
            if column == "E":
                continue
            value = row[excel.COLUMNS.index(_key(column))].value
            assert value is None or value in values, (column, value)


def _key(letter: str) -> str:
    return excel.COLUMNS[ord(letter) - ord("A")]


# ---------------------------------------------------------------- read back


def test_registration_file_round_trip_reads_the_same_items(client_for, world, program, filled):
    client = client_for(world.phunu_iadom)
    before = _items(filled)
    response = client.post(
        reverse("registrations:registration_upload", args=[filled.pk]),
        {"file": _upload(_download(client, filled)), "version": filled.version},
    )
    assert response.status_code == 302
    filled.refresh_from_db()
    assert filled.events.filter(action="uploaded").exists()
    assert _items(filled) == before


def test_blank_template_filled_from_its_lists_uploads(client_for, world, program, women_iadom):
    """An officer fills the empty template by choosing each value from its drop-down list."""
    client = client_for(world.phunu_iadom)
    wb = load_workbook(io.BytesIO(_download(client, women_iadom, blank="1")))
    ws = wb[excel.SHEET_TITLE]
    options = {v.formula1: _defined_list(wb, v.formula1) for v in ws.data_validations.dataValidation}
    kinds, contents, novelties, fields, areas = (
        options[name] for name in ("DM_Loai", "DM_NoiDung", "DM_MoiTiepTuc", "DM_LinhVuc", "DM_KhuDanCu")
    )
    first = excel.FIRST_ITEM_ROW
    assert all(ws.cell(row=first + n, column=2).border.left.style == "thin" for n in range(excel.BLANK_ROWS))
    rows = [
        {"kind": kinds[0], "description": "Phát triển kinh tế hộ", "content": contents[1]},
        {
            "kind": kinds[1],
            "description": "Mô hình",
            "initiative_name": "Hàng rào xanh",
            "novelty": novelties[0],
            "initiative_field": fields[1],
            "area": areas[0],
            "target_quantity": 2,
            "target_unit": "km",
        },
        {"kind": kinds[4], "description": "Vận động quỹ", "amount": 15_000_000},
    ]
    for n, row in enumerate(rows):
        for key, value in row.items():
            ws.cell(row=first + n, column=excel.COL[key] + 1, value=value)
    response = client.post(
        reverse("registrations:registration_upload", args=[women_iadom.pk]),
        {"file": _upload(_saved(wb)), "version": women_iadom.version},
    )
    assert response.status_code == 302
    items = list(women_iadom.items.order_by("order"))
    assert [i.kind for i in items] == [ItemKind.CONTENT, ItemKind.INITIATIVE, ItemKind.FUND_TARGET]
    assert items[0].content == program.contents.get(kind=ContentKind.CONTENT, order=2)
    assert (items[1].initiative_field, items[1].area, items[1].novelty) == (
        program.contents.get(kind=ContentKind.MODEL_FIELD, order=2),
        world.iadom_areas[0],
        InitiativeNovelty.NEW,
    )
    assert items[2].amount == 15_000_000


def test_upload_reads_a_content_by_its_title_or_number_and_names_what_it_cannot(world, program, filled):
    content = program.contents.get(kind=ContentKind.CONTENT, order=2)
    data = excel.workbook_bytes(filled)

    def with_content(value) -> excel.UploadResult:
        wb = load_workbook(io.BytesIO(data))
        wb[excel.SHEET_TITLE].cell(row=excel.FIRST_ITEM_ROW, column=excel.COL["content"] + 1, value=value)
        return excel.parse_upload(filled, _upload(_saved(wb)))

    for value in (content.title.upper(), 2, "2", f"2. {content.title}"):
        result = with_content(value)
        assert result.errors == [] and result.items[0]["content"] == content, value
    assert with_content("Nội dung không có").errors == [
        f"Dòng {excel.FIRST_ITEM_ROW}, cột D (Nội dung Cuộc vận động): chương trình không có mục "
        "“Nội dung không có”: hãy chọn trong danh sách."
    ]
    assert with_content(9).errors == [
        f"Dòng {excel.FIRST_ITEM_ROW}, cột D (Nội dung Cuộc vận động): chương trình không có mục số “9”."
    ]


def test_file_downloaded_in_english_uploads_in_vietnamese(world, filled):
    """The column headers and the lists are in the downloader's language; the upload finds
    the table and reads the names in either."""
    with override("en"):
        data = excel.workbook_bytes(filled)
    ws = load_workbook(io.BytesIO(data))[excel.SHEET_TITLE]
    assert ws.cell(row=excel.HEADING_ROW, column=2).value == "Kind"
    result = excel.parse_upload(filled, _upload(data))
    assert result.errors == [] and len(result.items) == filled.items.count()
    assert [i["kind"] for i in result.items] == list(
        filled.items.order_by("order").values_list("kind", flat=True)
    )


def test_upload_items_end_at_the_signature_block(world, filled):
    """A user who fills every empty row of the table, the blank one above the signature
    too, still uploads: the signature block is not an item."""
    wb = load_workbook(io.BytesIO(excel.workbook_bytes(filled)))
    ws = wb[excel.SHEET_TITLE]
    first_spare = excel.FIRST_ITEM_ROW + filled.items.count()
    for n in range(excel.SPARE_ROWS + 1):
        ws.cell(row=first_spare + n, column=2, value="Khác")
        ws.cell(row=first_spare + n, column=3, value=f"Việc thêm {n}")
    result = excel.parse_upload(filled, _upload(_saved(wb)))
    assert result.errors == [] and len(result.items) == filled.items.count() + excel.SPARE_ROWS + 1


def test_upload_refuses_a_form_without_its_lists_sheet(world, filled):
    """The marker row is on the lists sheet: a form copied without it is not the template."""
    wb = load_workbook(io.BytesIO(excel.workbook_bytes(filled)))
    del wb[excel.LISTS_TITLE]
    result = excel.parse_upload(filled, _upload(_saved(wb)))
    assert result.items == [] and result.errors == [
        "Đây không phải là mẫu bảng đăng ký của cổng thông tin. Hãy tải mẫu về và điền vào đó."
    ]


# ---------------------------------------------------------------- the first layout


def _old_layout(registration, *, with_items=True) -> bytes:
    """The registration file as the portal wrote it until December 2026 (its writer, as it
    was): sheet "Bang dang ky" in openpyxl's default font, the header from column I, the
    marker row "Mẫu BDK-1 / Mã tổ chức" in row 8, the column headers in row 10, the
    contents and model fields by their numbers, the lists on a visible sheet "Danh muc"."""
    from openpyxl.utils import get_column_letter as letter

    org = registration.organization
    program = registration.period.program
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Bang dang ky")
    widths = [6, 22, 40, 14, 24, 14, 14, 20, 12, 10, 12, 16, 16, 12, 30, 40]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[letter(index)].width = width
    parent = org.unit.parent.name.upper() if org.unit.parent_id else ""
    header = core_excel.Header(
        parent_body=parent,
        issuing_body=org.name.upper(),
        number=core_excel.number_line("ĐK", ""),
        place=core_excel.place_name(org.unit),
        title=f"BẢNG ĐĂNG KÝ NĂM {registration.period.year}",
        subtitle=f"{program.campaign.name} – {program.number or program.title}",
    )
    written = core_excel.write_header(ws, header, 16, right_column=8)
    areas = list(Unit.objects.areas().subtree_of(org.unit).select_related("parent").order_by("path"))
    labels = area_labels(areas)
    for _blank in range(written, 7):
        ws.append([])

    def italic(sheet, value):
        return core_excel.cell(sheet, value, italic=True, size=None)

    ws.append(
        [
            italic(ws, "Mẫu"),
            italic(ws, "BDK-1"),
            italic(ws, "Mã tổ chức"),
            org.pk,
            italic(ws, "Năm"),
            registration.period.year,
            italic(ws, org.name),
        ]
    )
    ws.append([])
    ws.append(
        [
            core_excel.cell(ws, label, bold=True, center=True, wrap=True, size=None)
            for label in [
                "STT",
                "Loại",
                "Nội dung đăng ký",
                "Nội dung Cuộc vận động (số)",
                "Tên mô hình",
                "Mới hay tiếp tục",
                "Lĩnh vực mô hình (số)",
                "Khu dân cư",
                "Số hộ nghèo nhận giúp",
                "Chỉ tiêu",
                "Đơn vị tính",
                "Số tiền (đồng)",
                "Kết quả",
                "Đạt được",
                "Ghi chú",
                "Hộ được nhận đỡ đầu (mã)",
            ]
        ]  # fmt: skip
    )
    if with_items:
        items = registration.items.select_related("content", "initiative_field", "area")
        for number, item in enumerate(items, start=1):
            achieved = item.achieved_amount if item.amount is not None else item.achieved_quantity
            values = [
                number,
                item.get_kind_display(),
                item.description,
                item.content.order if item.content else None,
                excel.initiative_cell(item),
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
                None,
            ]
            ws.append(
                [
                    core_excel.cell(ws, v, wrap=True, top=True, size=None) if isinstance(v, str) else v
                    for v in values
                ]
            )
    lists = wb.create_sheet("Danh muc")
    lists.append([core_excel.cell(lists, "Danh mục dùng trong các cột", bold=True, size=None)])
    for c in program.contents.order_by("kind", "order"):
        label = "Nội dung %s" if c.kind == ContentKind.CONTENT else "Lĩnh vực %s"
        lists.append([italic(lists, label % c.order), c.order, core_excel.cell(lists, c.title, plain=True)])
    for kind in ItemKind:
        lists.append([italic(lists, "Loại"), None, core_excel.cell(lists, str(kind.label), plain=True)])
    return _saved(wb)


def test_old_layout_file_fixture_is_the_first_layout(world, filled):
    wb = load_workbook(io.BytesIO(_old_layout(filled)))
    assert wb.sheetnames == ["Bang dang ky", "Danh muc"]
    rows = [[c.value for c in row] for row in wb["Bang dang ky"].iter_rows(max_row=11)]
    assert rows[7][:4] == ["Mẫu", "BDK-1", "Mã tổ chức", filled.organization_id]
    assert rows[9][3] == "Nội dung Cuộc vận động (số)" and rows[10][3] == 1  # a code


@pytest.mark.parametrize("edited_in_excel", [False, True])
def test_old_layout_file_still_uploads_to_the_same_items(client_for, world, filled, edited_in_excel):
    """A file downloaded before this layout, uploaded as it was or after a save in Excel."""
    data = _old_layout(filled)
    if edited_in_excel:
        data = _saved(load_workbook(io.BytesIO(data)))
    before = _items(filled)
    result = excel.parse_upload(filled, _upload(data))
    assert result.errors == []
    assert [
        (
            i["kind"],
            i["description"],
            i["content"] and i["content"].pk,
            i["initiative_name"],
            i["initiative"] and i["initiative"].pk,
            i["novelty"],
            i["initiative_field"] and i["initiative_field"].pk,
            i["area"] and i["area"].pk,
            i["households_pledged"],
            i["target_quantity"],
            i["target_unit"],
            i["amount"],
        )
        for i in result.items
    ] == before
    client = client_for(world.phunu_iadom)
    response = client.post(
        reverse("registrations:registration_upload", args=[filled.pk]),
        {"file": _upload(data), "version": filled.version},
    )
    assert response.status_code == 302
    assert _items(filled) == before
    assert filled.events.filter(action="uploaded").exists()


def test_old_layout_blank_template_filled_by_hand_uploads(world, women_iadom):
    """The first layout's empty template, filled with codes as its lists said."""
    wb = load_workbook(io.BytesIO(_old_layout(women_iadom, with_items=False)))
    ws = wb["Bang dang ky"]
    ws.cell(row=11, column=2, value="Nội dung Cuộc vận động")
    ws.cell(row=11, column=3, value="Tập huấn hội viên")
    ws.cell(row=11, column=4, value=1)
    result = excel.parse_upload(women_iadom, _upload(_saved(wb)))
    assert result.errors == []
    assert [(i["kind"], i["description"], i["content"].order) for i in result.items] == [
        (ItemKind.CONTENT, "Tập huấn hội viên", 1)
    ]
