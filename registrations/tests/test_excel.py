import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from devdata.registrations import full_items, open_year
from organizations.models import OrgKind
from registrations import excel, services
from registrations.models import ItemKind, Registration


def _upload(data: bytes, name="bang-dang-ky.xlsx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _rewrite(data: bytes, edit) -> bytes:
    """Edit a downloaded file in normal (not write-only) mode, as a user would in Excel."""
    wb = load_workbook(io.BytesIO(data))
    edit(wb[excel.SHEET_TITLE])
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


def test_excel_download_has_official_header_and_items(client_for, world, filled):
    response = client_for(world.phunu_iadom).get(reverse("registrations:registration_xlsx", args=[filled.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2017.xlsx"')
    ws = load_workbook(io.BytesIO(response.content), read_only=True)[excel.SHEET_TITLE]
    rows = list(ws.iter_rows(values_only=True))
    right = rows[0].index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert rows[1][0] == "HỘI LIÊN HIỆP PHỤ NỮ XÃ IA DOM"
    assert rows[1][right] == "Độc lập - Tự do - Hạnh phúc"
    assert rows[2][right].startswith("Ia Dom, ngày ")
    assert (
        rows[0][0] == "HỘI LIÊN HIỆP PHỤ NỮ HUYỆN ĐỨC CƠ" and rows[2][0] == "Số:      /ĐK"
    )  # the number line
    assert rows[4][0] == "BẢNG ĐĂNG KÝ NĂM 2017" and rows[5][0].endswith("01/CTPH-MTTQ-TCCTXH")
    assert rows[excel.FIRST_ITEM_ROW - 1][2] == "Phát triển kinh tế hộ"
    assert rows[excel.FIRST_ITEM_ROW + 3][11] == 5_000_000  # a number, not text


def test_excel_round_trip_replaces_items(client_for, world, program, filled):
    client = client_for(world.phunu_iadom)
    data = client.get(reverse("registrations:registration_xlsx", args=[filled.pk])).content

    def edit(ws):
        ws.cell(row=excel.FIRST_ITEM_ROW, column=3, value="Phát triển kinh tế (sửa)")
        ws.cell(row=excel.FIRST_ITEM_ROW + 3, column=9, value=3)

    response = client.post(
        reverse("registrations:registration_upload", args=[filled.pk]),
        {"file": _upload(_rewrite(data, edit)), "version": 2},
    )
    assert response.status_code == 302
    items = list(filled.items.order_by("order"))
    assert len(items) == 5
    assert items[0].description == "Phát triển kinh tế (sửa)"
    assert items[3].households_pledged == 3 and items[3].area == world.iadom_areas[0]
    assert items[1].initiative_name == "Hàng rào xanh" and items[1].initiative_field.order == 1
    assert items[4].amount == 5_000_000
    assert filled.events.filter(action="uploaded").exists()


def test_excel_blank_template_upload(client_for, world, women_iadom):
    client = client_for(world.phunu_iadom)
    data = client.get(
        reverse("registrations:registration_xlsx", args=[women_iadom.pk]), {"blank": "1"}
    ).content

    def edit(ws):
        ws.cell(row=excel.FIRST_ITEM_ROW, column=2, value="Khác")
        ws.cell(row=excel.FIRST_ITEM_ROW, column=3, value="Tập huấn hội viên")

    client.post(
        reverse("registrations:registration_upload", args=[women_iadom.pk]),
        {"file": _upload(_rewrite(data, edit))},
    )
    assert list(women_iadom.items.values_list("kind", "description")) == [
        (ItemKind.OTHER, "Tập huấn hội viên")
    ]


def _errors_after(client, registration, upload):
    response = client.post(
        reverse("registrations:registration_upload", args=[registration.pk]), {"file": upload}, follow=True
    )
    return [str(m) for m in response.context["messages"]]


def test_excel_row_errors_listed_and_nothing_changes(client_for, world, filled):
    client = client_for(world.phunu_iadom)
    data = client.get(reverse("registrations:registration_xlsx", args=[filled.pk])).content

    def edit(ws):
        ws.cell(row=excel.FIRST_ITEM_ROW, column=2, value="Không rõ")
        ws.cell(row=excel.FIRST_ITEM_ROW + 2, column=8, value="Làng Ia Kla")
        ws.cell(row=excel.FIRST_ITEM_ROW + 3, column=9, value=4)
        ws.cell(row=excel.FIRST_ITEM_ROW + 4, column=12, value="năm triệu")

    errors = _errors_after(client, filled, _upload(_rewrite(data, edit)))
    joined = "\n".join(errors)
    first = excel.FIRST_ITEM_ROW
    assert f"Dòng {first}, cột B" in joined or f"Row {first}, column B" in joined
    assert ", cột H" in joined or ", column H" in joined
    assert str(first + 3) in joined and ("1 đến 3" in joined or "1 to 3" in joined)
    assert ", cột L" in joined or ", column L" in joined
    assert filled.items.count() == 5
    assert filled.items.get(order=4).households_pledged == 2


@pytest.mark.parametrize(
    "case",
    ["not_xlsx", "corrupted", "wrong_template", "oversize", "zip_bomb"],
)
def test_excel_bad_files_change_nothing(client_for, world, filled, case, settings):
    client = client_for(world.phunu_iadom)
    if case == "not_xlsx":
        upload = _upload(b"STT,Noi dung\n1,abc\n", name="bang.csv")
    elif case == "corrupted":
        upload = _upload(b"PK\x03\x04 this is not really a zip file")
    elif case == "wrong_template":
        from openpyxl import Workbook

        wb = Workbook()
        wb.active.title = "Sheet1"
        out = io.BytesIO()
        wb.save(out)
        upload = _upload(out.getvalue())
    elif case == "oversize":
        upload = _upload(b"0" * (excel.MAX_UPLOAD_BYTES + 1))
    else:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/big.xml", b"0" * (excel.MAX_UNCOMPRESSED_BYTES + 1))
        upload = _upload(out.getvalue())
    errors = _errors_after(client, filled, upload)
    assert errors, case
    assert filled.items.count() == 5
    assert not filled.events.filter(action="uploaded").exists()


def test_excel_wrong_organization_or_year_refused(client_for, world, program, filled, period):
    client = client_for(world.phunu_iadom)
    data = client.get(reverse("registrations:registration_xlsx", args=[filled.pk])).content
    other = Registration.objects.get(period=period, organization=world.org(world.iadom, OrgKind.FARMERS))
    other_data = excel.workbook_bytes(other)
    errors = _errors_after(client, filled, _upload(other_data))
    assert errors and filled.items.count() == 5
    period_2018 = open_year(world, program, 2018)
    next_year = Registration.objects.get(period=period_2018, organization=filled.organization)
    errors = _errors_after(client, next_year, _upload(data))
    assert "2017" in errors[0] and next_year.items.count() == 0


def test_excel_upload_refused_out_of_scope_and_read_only(client_for, world, filled, women_iakla):
    data = excel.workbook_bytes(filled)
    assert (
        client_for(world.mttq_iadom)
        .post(reverse("registrations:registration_upload", args=[women_iakla.pk]), {"file": _upload(data)})
        .status_code
        == 404
    )
    assert (
        client_for(world.mttq_iadom)
        .get(reverse("registrations:registration_xlsx", args=[women_iakla.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(world.lanhdao)
        .post(reverse("registrations:registration_upload", args=[filled.pk]), {"file": _upload(data)})
        .status_code
        == 403
    )


def _items_fingerprint(registration):
    return list(registration.items.order_by("order").values())


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("formula", "công thức"),
        ("formula_as_text", None),
        ("wrong_types", "số nguyên"),
        ("negative", "số nguyên"),
        ("huge", "số quá lớn"),
        ("fifty_thousand_rows", None),
    ],
)
def test_excel_hostile_cells_are_refused_by_cell_and_change_nothing(
    client_for, world, filled, case, expected
):
    """Formula cells, text where numbers go, negative and overlong numbers, and a file
    of 50,000 rows: refused with the cell or the limit named; the draft stays as it was."""
    client = client_for(world.phunu_iadom)
    data = client.get(reverse("registrations:registration_xlsx", args=[filled.pk])).content
    first = excel.FIRST_ITEM_ROW
    pledged = excel.COL["households_pledged"] + 1

    def edit(ws):
        if case == "formula":
            ws.cell(row=first + 1, column=pledged, value="=SUM(I11:I12)")
            ws.cell(row=first + 2, column=3, value='=HYPERLINK("http://x","bấm")')
        elif case == "formula_as_text":
            # typed text that starts like a formula is not a formula: the text is kept as text
            ws.cell(row=first, column=3).value = "=cmd|' /C calc'!A0"
            ws.cell(row=first, column=3).data_type = "s"
        elif case == "wrong_types":
            ws.cell(row=first, column=pledged, value="năm hộ")
            ws.cell(row=first + 1, column=excel.COL["amount"] + 1, value=2.5)
            ws.cell(row=first + 2, column=excel.COL["target_quantity"] + 1, value=True)
        elif case == "negative":
            ws.cell(row=first + 1, column=excel.COL["amount"] + 1, value=-3)
        elif case == "huge":
            ws.cell(row=first + 1, column=excel.COL["amount"] + 1, value=10**30)
            ws.cell(row=first + 2, column=excel.COL["target_quantity"] + 1, value=2**31)
        else:
            for block in list(ws.merged_cells.ranges):  # the signature block's, typed over
                ws.unmerge_cells(str(block))
            for n in range(50_001):
                ws.cell(row=first + n, column=2, value="Khác")
                ws.cell(row=first + n, column=3, value=f"Nội dung {n}")

    before = _items_fingerprint(filled)
    errors = _errors_after(client, filled, _upload(_rewrite(data, edit)))
    joined = "\n".join(errors)
    if case == "formula_as_text":
        filled.refresh_from_db()
        assert filled.items.get(order=1).description == "=cmd|' /C calc'!A0"
        return
    assert errors, case
    if expected:
        assert expected in joined, joined
    if case == "formula":
        assert f"I{first + 1}" in joined
    if case == "fifty_thousand_rows":  # refused by the item limit, the file's size or its extent
        assert "500" in joined or "MB" in joined or "20.000 dòng" in joined
    assert _items_fingerprint(filled) == before
    assert not filled.events.filter(action="uploaded").exists()


def test_excel_upload_finds_the_marker_below_an_added_row(client_for, world, filled):
    """A user who adds a row above the official header still uploads; errors name the real rows."""
    client = client_for(world.phunu_iadom)
    data = client.get(reverse("registrations:registration_xlsx", args=[filled.pk])).content

    def shift_and_break(ws):
        ws.insert_rows(1)
        ws.cell(row=excel.FIRST_ITEM_ROW + 1, column=2, value="Không rõ")

    result = excel.parse_upload(filled, _upload(_rewrite(data, shift_and_break)))
    assert len(result.errors) == 1 and f"Dòng {excel.FIRST_ITEM_ROW + 1}, cột B" in result.errors[0]

    def shift(ws):
        ws.insert_rows(1)

    result = excel.parse_upload(filled, _upload(_rewrite(data, shift)))
    assert result.errors == [] and len(result.items) == 5


def _own_and_other_initiatives(world, program, registration):
    from activities import services as activity_services
    from programs.models import ContentKind

    field = program.contents.filter(kind=ContentKind.MODEL_FIELD).first()
    own, other = (
        activity_services.create_initiative(
            by=world.admin, organization=organization, field=field, name=name, start_year=2016
        )
        for organization, name in (
            (registration.organization, "Con đường hoa"),
            (world.org(world.iakla, OrgKind.WOMEN), "Hàng rào xanh Ia Kla"),
        )
    )
    return own, other


def test_excel_round_trip_keeps_the_model_an_item_continues(client_for, world, program, women_iadom):
    own, _other = _own_and_other_initiatives(world, program, women_iadom)
    items = full_items(world, program, women_iadom)
    items[1].update(initiative=own, initiative_name="", novelty="continuing")
    registration = services.save_items(registration=women_iadom, items=items, version=1, by=world.phunu_iadom)
    client = client_for(world.phunu_iadom)
    data = client.get(reverse("registrations:registration_xlsx", args=[registration.pk])).content
    wb = load_workbook(io.BytesIO(data), read_only=True)
    rows = list(wb[excel.SHEET_TITLE].iter_rows(values_only=True))
    assert rows[excel.FIRST_ITEM_ROW][4] == f"Con đường hoa (#{own.pk})"
    # The lists sheet gives the organization's models with their codes, and no one else's.
    lists = list(wb[excel.LISTS_TITLE].iter_rows(values_only=True))
    column = lists[excel.LISTS_FIRST_ROW - 2].index("Mô hình tiếp tục (#mã)")
    listed = [row[column] for row in lists[excel.LISTS_FIRST_ROW - 1 :] if column < len(row) and row[column]]
    assert listed == [f"Con đường hoa (#{own.pk})"]

    def edit(ws):
        ws.cell(row=excel.FIRST_ITEM_ROW + 1, column=3, value="Mô hình (sửa ngoài Excel)")

    client.post(
        reverse("registrations:registration_upload", args=[registration.pk]),
        {"file": _upload(_rewrite(data, edit)), "version": registration.version},
    )
    item = registration.items.get(kind=ItemKind.INITIATIVE)
    assert item.description == "Mô hình (sửa ngoài Excel)"
    assert (item.initiative, item.initiative_name, item.novelty) == (
        own,
        "Con đường hoa",
        "continuing",
    )


def test_excel_model_code_names_what_the_item_continues_or_is_refused(client_for, world, program, filled):
    own, other = _own_and_other_initiatives(world, program, filled)
    client = client_for(world.phunu_iadom)
    data = client.get(reverse("registrations:registration_xlsx", args=[filled.pk])).content

    def naming(code, status):
        def edit(ws):
            ws.cell(row=excel.FIRST_ITEM_ROW + 1, column=5, value=f"Con đường hoa (# {code})")
            ws.cell(row=excel.FIRST_ITEM_ROW + 1, column=6, value=status)

        return _upload(_rewrite(data, edit))

    errors = _errors_after(client, filled, naming(other.pk, "Tiếp tục"))
    assert errors == [
        f"Dòng {excel.FIRST_ITEM_ROW + 1}, cột E (Tên mô hình): không có mô hình mã #{other.pk} "
        "trong các mô hình của tổ chức mình."
    ]
    errors = _errors_after(client, filled, naming(own.pk, "Mới"))
    assert errors == [
        f"Dòng {excel.FIRST_ITEM_ROW + 1}, cột F (Mới hay tiếp tục): mô hình mới không tiếp tục mô hình nào: "
        "ghi “Tiếp tục” hoặc xóa mã."
    ]
    assert filled.items.get(kind=ItemKind.INITIATIVE).initiative is None  # nothing changed

    # With no status written, a code says the model continues.
    assert _errors_after(client, filled, naming(own.pk, "")) == ["Đã đọc 5 nội dung từ tệp."]
    item = filled.items.get(kind=ItemKind.INITIATIVE)
    assert (item.initiative, item.initiative_name, item.novelty) == (
        own,
        "Con đường hoa",
        "continuing",
    )


# ---------------------------------------------------------------- residential areas by name


def _krel(world):
    """A "Làng Krêl" in each commune, as Đức Cơ has in three."""
    from organizations.models import Unit, UnitLevel

    return {
        c: Unit.objects.create(name="Làng Krêl", level=UnitLevel.AREA, parent=c)
        for c in (world.iadom, world.iakla)
    }


def _district_farmers(world, period):
    return Registration.objects.get(period=period, organization=world.org(world.district, OrgKind.FARMERS))


def _blank_with_areas(client, registration, areas):
    data = client.get(
        reverse("registrations:registration_xlsx", args=[registration.pk]), {"blank": "1"}
    ).content

    def edit(ws):
        for n, area in enumerate(areas):
            ws.cell(row=excel.FIRST_ITEM_ROW + n, column=2, value="outstanding_area")
            ws.cell(row=excel.FIRST_ITEM_ROW + n, column=3, value=f"Khu dân cư kiểu mẫu {n + 1}")
            ws.cell(row=excel.FIRST_ITEM_ROW + n, column=8, value=area)

    return _upload(_rewrite(data, edit))


def test_excel_upload_area_in_several_communes_or_in_none_is_a_row_error(client_for, world, period):
    _krel(world)
    registration = _district_farmers(world, period)
    client = client_for(world.nongdan_huyen)
    errors = _errors_after(
        client, registration, _blank_with_areas(client, registration, ["Làng Krêl", "Làng Không Có"])
    )
    assert errors == [
        f"Dòng {excel.FIRST_ITEM_ROW}, cột H (Khu dân cư): “Làng Krêl” trùng với 2 khu dân cư của Huyện Đức Cơ: "
        "Làng Krêl — Xã Ia Dom; Làng Krêl — Xã Ia Kla. Hãy ghi đúng một trong các tên trên.",
        f"Dòng {excel.FIRST_ITEM_ROW + 1}, cột H (Khu dân cư): không có khu dân cư “Làng Không Có” trong Huyện Đức Cơ.",
    ]
    assert not registration.items.exists()


def test_excel_upload_area_named_with_its_commune(client_for, world, period):
    krel = _krel(world)
    registration = _district_farmers(world, period)
    client = client_for(world.nongdan_huyen)
    upload = _blank_with_areas(client, registration, ["Làng Krêl — Xã Ia Kla", "Làng Krêl (Ia Dom)"])
    assert _errors_after(client, registration, upload) == ["Đã đọc 2 nội dung từ tệp."]
    assert [i.area for i in registration.items.order_by("order")] == [krel[world.iakla], krel[world.iadom]]


def test_excel_upload_area_looked_up_in_the_registrations_commune(client_for, world, women_iadom):
    from organizations.models import Unit, UnitLevel

    krel = _krel(world)
    # Two areas of Ia Dom that differ by their accents only: the exact name tells them apart.
    krel_plain = Unit.objects.create(name="Làng Krel", level=UnitLevel.AREA, parent=world.iadom)
    client = client_for(world.phunu_iadom)
    upload = _blank_with_areas(client, women_iadom, ["Làng Krêl", "Làng Krel"])
    assert _errors_after(client, women_iadom, upload) == ["Đã đọc 2 nội dung từ tệp."]
    assert [i.area for i in women_iadom.items.order_by("order")] == [krel[world.iadom], krel_plain]
    errors = _errors_after(client, women_iadom, _blank_with_areas(client, women_iadom, ["lang krel"]))
    assert errors == [
        f"Dòng {excel.FIRST_ITEM_ROW}, cột H (Khu dân cư): “lang krel” trùng với 2 khu dân cư của Xã Ia Dom: "
        "Làng Krêl; Làng Krel. Hãy ghi đúng một trong các tên trên."
    ]


def test_excel_district_organization_round_trip_keeps_each_areas_commune(client_for, world, period):
    krel = _krel(world)
    registration = _district_farmers(world, period)
    items = [
        {"kind": ItemKind.OUTSTANDING_AREA, "description": "Khu dân cư kiểu mẫu", "area": krel[world.iakla]}
    ]
    services.save_items(registration=registration, items=items, version=1, by=world.nongdan_huyen)
    client = client_for(world.nongdan_huyen)
    data = client.get(reverse("registrations:registration_xlsx", args=[registration.pk])).content
    wb = load_workbook(io.BytesIO(data), read_only=True)
    rows = list(wb[excel.SHEET_TITLE].iter_rows(values_only=True))
    assert rows[excel.FIRST_ITEM_ROW - 1][7] == "Làng Krêl — Xã Ia Kla"
    lists = list(wb[excel.LISTS_TITLE].iter_rows(values_only=True))
    column = lists[excel.LISTS_FIRST_ROW - 2].index("Khu dân cư")
    listed = [row[column] for row in lists[excel.LISTS_FIRST_ROW - 1 :] if column < len(row)]
    assert "Làng Krêl — Xã Ia Dom" in listed and "Làng 1 — Xã Ia Dom" in listed
    response = client.post(
        reverse("registrations:registration_upload", args=[registration.pk]),
        {"file": _upload(data), "version": 2},
    )
    assert response.status_code == 302
    assert registration.items.get().area == krel[world.iakla]
