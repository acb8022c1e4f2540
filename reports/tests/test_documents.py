"""The reports and reviews as documents: the print view and the Word file show the same
header, title, figures and signature as the page and the Excel file."""

import io

import pytest
from docx import Document

from core.documents import MOTTO, grouped
from reports import selectors
from reports.labels import labels as report_labels
from reports.selectors import Filters

from .conftest import YEAR


def _docx(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessing")
    return Document(io.BytesIO(response.content))


def _texts(doc) -> list[str]:
    """Every paragraph's text, those inside tables (the header, the signature) included."""
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return texts


def _mm(length) -> int:
    return round(length.mm)


def _section_of(doc, table):
    """The section a table is in: the first whose end (a paragraph's section properties,
    or the body's last) comes after it."""
    children = list(doc.element.body.iterchildren())
    at = children.index(table._tbl)
    ends = [i for i, c in enumerate(children) if c.xpath("./w:pPr/w:sectPr") or c.tag.endswith("}sectPr")]
    return doc.sections[next(n for n, end in enumerate(ends) if end > at)]


def _table_after(doc, title: str):
    """The first table after the paragraph ``title``."""
    paragraph = next(p for p in doc.paragraphs if p.text == title)
    following = next(e for e in paragraph._p.itersiblings() if e.tag.endswith("}tbl"))
    return next(t for t in doc.tables if t._tbl is following)


def test_report_docx_has_the_header_title_and_signature(data, world, client_for):
    doc = _docx(client_for(world.mttq_huyen).get(f"/reports/export.docx?year_from=2017&year={YEAR}"))
    texts = _texts(doc)
    assert MOTTO[0] in texts and MOTTO[1] in texts
    assert "ỦY BAN MTTQ VIỆT NAM HUYỆN ĐỨC CƠ" in texts and "BAN THƯỜNG TRỰC" in texts
    assert "Số:      /BC-MTTQ-BTT" in texts
    assert any(t.startswith("Đức Cơ, ngày ") for t in texts)
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHỐI HỢP" in texts
    assert "Nơi nhận:" in texts and "TM. BAN THƯỜNG TRỰC" in texts and "CHỦ TỊCH" in texts
    assert "PHỤ LỤC" in texts


def test_report_docx_is_a4_with_the_decree_margins_and_wide_tables_landscape(data, world, client_for):
    doc = _docx(client_for(world.mttq_huyen).get(f"/reports/export.docx?year={YEAR}"))
    for section in doc.sections:
        assert {_mm(section.page_width), _mm(section.page_height)} == {210, 297}
        assert 20 <= _mm(section.top_margin) <= 25 and 20 <= _mm(section.bottom_margin) <= 25
        assert 30 <= _mm(section.left_margin) <= 35 and 15 <= _mm(section.right_margin) <= 20
    assert _mm(doc.sections[0].page_width) == 210  # the header and key figures: portrait
    # (c) has ten columns: it is set on a landscape page.
    table = _table_after(doc, report_labels()["poverty"])
    assert len(table.columns) == 10
    assert _mm(_section_of(doc, table).page_width) == 297


def test_report_docx_figures_equal_the_page_figures(data, world, client_for):
    client = client_for(world.mttq_huyen)
    doc = _docx(client.get(f"/reports/export.docx?year_from={YEAR}&year={YEAR}"))
    f = Filters(program=data.program, years=[YEAR])
    names = report_labels()
    tables = selectors.report(world.mttq_huyen, f)["tables"]
    for expected in tables[1:]:  # (a): test_report_registrations_by_commune_first_…
        if not expected.rows:
            continue
        table = _table_after(doc, expected.title)
        totals = [c.text for c in table.rows[-1].cells]
        assert totals[0] == names["total"]
        assert totals[expected.first_number :] == [
            grouped(v) if v != "" else "" for v in expected.totals[expected.first_number :]
        ]
    summary = _table_after(doc, names["summary"])
    rows = {r.cells[0].text: r.cells[1].text for r in summary.rows[1:]}
    review = selectors.review_summary(world.mttq_huyen, f, names)
    assert rows == {r[0]: grouped(r[1]) for r in review.rows}


def _with_an_empty_row(monkeypatch):
    """Report (b) with a row of no figures added, as a kind of commitment nobody chose."""
    drawn = selectors.report_tables

    def report_tables(*args, **kwargs):
        tables = drawn(*args, **kwargs)
        tables[1].rows.append([YEAR, "Loại không ai đăng ký", 0, 0, 0, 0, 0])
        return tables

    monkeypatch.setattr(selectors, "report_tables", report_tables)


def test_report_appendix_leaves_rows_without_figures_out(data, world, client_for, monkeypatch):
    client = client_for(world.mttq_huyen)
    f = Filters(program=data.program, years=[YEAR])
    table = selectors.report(world.mttq_huyen, f)["tables"][1]  # (b): by kind of commitment
    _with_an_empty_row(monkeypatch)
    doc = _docx(client.get(f"/reports/export.docx?year_from={YEAR}&year={YEAR}"))
    rows = _table_after(doc, table.title).rows
    assert len(rows) == 1 + len(table.rows) + 1  # the column headers, the rows, the totals
    assert "Loại không ai đăng ký" not in [c.text for row in rows for c in row.cells]
    body = client.get(f"/reports/print/?year_from={YEAR}&year={YEAR}").content.decode()
    assert table.title in body and "Loại không ai đăng ký" not in body


def test_report_registrations_by_commune_first_and_the_lagging_ones_in_the_appendix(data, world, client_for):
    client = client_for(world.mttq_huyen)
    doc = _docx(client.get(f"/reports/export.docx?year_from={YEAR}&year={YEAR}"))
    f = Filters(program=data.program, years=[YEAR])
    page_table = selectors.report(world.mttq_huyen, f)["tables"][0]  # (a) as the page shows it
    by_commune = _table_after(doc, "(a) Đăng ký theo xã")
    cells = [[c.text for c in row.cells] for row in by_commune.rows]
    assert [row[1] for row in cells[1:-1]] == ["Xã Ia Dom", "Xã Ia Kla"]
    assert cells[-1][2:] == [grouped(v) for v in page_table.totals[3:]]  # the same totals as the page
    lagging = _table_after(doc, "(a) Đăng ký chưa nộp, nộp muộn hoặc chưa được chấp nhận")
    listed = [(row.cells[1].text, row.cells[2].text) for row in lagging.rows[1:]]
    # Ia Dom's organizations registered on time and were accepted: not listed.
    assert sorted(listed) == [
        ("Xã Ia Kla", "Hội Liên hiệp Phụ nữ"),
        ("Xã Ia Kla", "Hội Nông dân"),
        ("Xã Ia Kla", "Mặt trận Tổ quốc"),
    ]


def test_a_district_users_commune_report_is_issued_by_the_district(data, world, client_for):
    doc = _docx(
        client_for(world.mttq_huyen).get(f"/reports/export.docx?year={YEAR}&commune={world.iadom.pk}")
    )
    texts = _texts(doc)
    assert "ỦY BAN MTTQ VIỆT NAM HUYỆN ĐỨC CƠ" in texts
    assert "ỦY BAN MTTQ VIỆT NAM XÃ IA DOM" not in texts
    assert any(t.startswith("Xã Ia Dom – ") for t in texts)  # the commune reported on
    # A commune's own officer issues it as the commune's Front.
    doc = _docx(client_for(world.mttq_iadom).get(f"/reports/export.docx?year={YEAR}"))
    assert "ỦY BAN MTTQ VIỆT NAM XÃ IA DOM" in _texts(doc)


def test_review_docx_has_the_summary_year_by_year(data, world, client_for):
    response = client_for(world.lanhdao).get("/reports/review/5/export.docx")
    assert 'filename="tong-ket-5-nam-2017-2021.docx"' in response["Content-Disposition"]
    doc = _docx(response)
    assert "TỔNG KẾT 5 NĂM THỰC HIỆN CHƯƠNG TRÌNH PHỐI HỢP" in _texts(doc)
    summary = _table_after(doc, report_labels()["summary"])
    assert [c.text for c in summary.rows[0].cells][1:6] == ["2017", "2018", "2019", "2020", "2021"]


def test_report_print_view_shows_the_document(data, world, client_for):
    response = client_for(world.mttq_huyen).get(f"/reports/print/?year_from=2017&year={YEAR}")
    assert response.status_code == 200
    body = response.content.decode()
    assert MOTTO[0] in body and MOTTO[1] in body
    assert "ỦY BAN MTTQ VIỆT NAM HUYỆN ĐỨC CƠ" in body
    assert "TM. BAN THƯỜNG TRỰC" in body and "Nơi nhận:" in body
    assert "PHỤ LỤC" in body
    assert "data-print" in body and "js/print.js" in body
    assert "<script>" not in body  # CSP: no inline script
    assert f'href="/reports/?year_from=2017&amp;year={YEAR}"' in body  # back to the same report


def test_review_print_view(data, world, client_for):
    response = client_for(world.lanhdao).get("/reports/review/3/print/")
    assert response.status_code == 200
    assert "SƠ KẾT 3 NĂM THỰC HIỆN CHƯƠNG TRÌNH PHỐI HỢP" in response.content.decode()


def test_report_page_offers_print_and_word(data, world, client_for):
    body = client_for(world.lanhdao).get(f"/reports/?year={YEAR}").content.decode()
    assert f'href="/reports/print/?year={YEAR}"' in body
    assert f'href="/reports/export.docx?year={YEAR}"' in body
    body = client_for(world.lanhdao).get("/reports/review/3/").content.decode()
    assert 'href="/reports/review/3/print/"' in body and 'href="/reports/review/3/export.docx"' in body


@pytest.mark.parametrize("url", ["/reports/print/", "/reports/export.docx", "/reports/review/5/print/",
                                 "/reports/review/5/export.docx"])  # fmt: skip
def test_a_commune_outside_scope_is_404(data, world, client_for, url):
    client = client_for(world.mttq_iakla)
    assert client.get(f"{url}?commune={world.iadom.pk}").status_code == 404
    assert client.get(f"{url}?commune={world.iakla.pk}").status_code == 200


def test_documents_need_a_login(client):
    assert client.get("/reports/export.docx").status_code == 302
    assert client.get("/reports/print/").status_code == 302
