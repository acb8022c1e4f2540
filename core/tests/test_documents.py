"""The shared content of official documents and its Word form (core.documents)."""

import datetime
import io

from docx import Document as read_docx
from docx.enum.section import WD_ORIENT

from core import documents, excel
from core.documents import Document, DocumentTable, Header, Signature

HEADER = Header(
    parent_body="ỦY BAN MTTQ VIỆT NAM HUYỆN ĐỨC CƠ",
    issuing_body="BAN THƯỜNG TRỰC",
    number=documents.number_line("BC", "MTTQ-BTT"),
    place="Đức Cơ",
    title="Báo cáo kết quả",
    subtitle="Năm 2019",
    day=datetime.date(2017, 7, 21),
)


def _table(columns=3, rows=None):
    return DocumentTable(
        title="(a) Bảng",
        columns=[f"Cột {i}" for i in range(columns)],
        rows=rows if rows is not None else [[2019, "Xã Ia Dom", *[2631] * (columns - 2)]],
        totals=["Tổng cộng", "", *[2631] * (columns - 2)],
        numbers=frozenset(range(2, columns)),
    )


def _open(document: Document):
    return read_docx(io.BytesIO(documents.word_document(document)))


def _texts(doc) -> list[str]:
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return texts


def test_excel_uses_the_same_header_and_signature_content():
    assert excel.Header is Header and excel.Signature is Signature
    assert excel.MOTTO == documents.MOTTO and excel.date_line is documents.date_line


def test_cells_are_written_as_a_vietnamese_document_writes_them():
    assert documents.shown(2631, True) == "2.631"
    assert documents.shown(2019, False) == "2019"  # a year is not a count
    assert documents.shown(12.5, True) == "12,5"
    assert documents.shown(datetime.date(2017, 7, 1), False) == "01/07/2017"
    assert documents.shown(None, True) == ""


def test_rows_without_figures_are_left_out_and_the_totals_kept():
    table = _table(rows=[[2019, "Xã Ia Dom", 3], [2019, "Xã Ia Kla", 0], [2019, "Xã Ia Nan", None]])
    kept = table.without_empty_rows()
    assert [row[1] for row in kept.rows] == ["Xã Ia Dom"]
    assert kept.totals == table.totals and len(table.rows) == 3  # the original unchanged


def test_word_document_has_the_header_title_tables_and_signature():
    doc = _open(Document(header=HEADER, signature=Signature.for_report(), tables=[_table()]))
    header = doc.tables[0]
    assert [p.text for p in header.cell(0, 0).paragraphs] == [
        "ỦY BAN MTTQ VIỆT NAM HUYỆN ĐỨC CƠ",
        "BAN THƯỜNG TRỰC",
    ]
    assert [p.text for p in header.cell(0, 1).paragraphs] == list(documents.MOTTO)
    assert header.cell(1, 0).text == "Số:      /BC-MTTQ-BTT"
    assert header.cell(1, 1).text == "Đức Cơ, ngày 21 tháng 7 năm 2017"
    issuing = header.cell(0, 0).paragraphs[1].runs[0]
    assert issuing.bold and issuing.underline
    texts = _texts(doc)
    assert "BÁO CÁO KẾT QUẢ" in texts and "Năm 2019" in texts
    figures = doc.tables[1]
    assert [c.text for c in figures.rows[1].cells] == ["2019", "Xã Ia Dom", "2.631"]
    assert [c.text for c in figures.rows[-1].cells] == ["Tổng cộng", "", "2.631"]
    signature = doc.tables[-1]
    assert signature.cell(0, 0).paragraphs[0].text == "Nơi nhận:"
    assert [p.text for p in signature.cell(0, 1).paragraphs][:2] == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]
    assert signature.cell(0, 1).paragraphs[-1].text == documents.NAME_LINE
    assert doc.styles["Normal"].font.name == "Times New Roman"


def test_word_document_is_a4_portrait_and_landscape_when_a_table_is_wide():
    doc = _open(Document(header=HEADER, signature=None, tables=[_table()]))
    (page,) = doc.sections
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    assert page.orientation == WD_ORIENT.PORTRAIT
    assert (round(page.top_margin.mm), round(page.bottom_margin.mm)) == (20, 20)
    assert (round(page.left_margin.mm), round(page.right_margin.mm)) == (30, 15)
    # A wide table turns the body's pages, the header with it (not left alone on a page).
    doc = _open(Document(header=HEADER, signature=None, tables=[_table(), _table(columns=10)]))
    (page,) = doc.sections
    assert (round(page.page_width.mm), round(page.page_height.mm)) == (297, 210)
    assert page.orientation == WD_ORIENT.LANDSCAPE


def test_an_appendix_follows_the_signature_on_pages_of_its_own():
    document = Document(
        header=HEADER,
        signature=Signature.for_report(),
        tables=[_table()],
        appendix=[_table(), _table(columns=9)],
        appendix_note="Các dòng không có số liệu được lược bỏ.",
    )
    doc = _open(document)
    texts = [p.text for p in doc.paragraphs]
    assert texts.index(documents.APPENDIX) > 0
    # One orientation for the whole appendix: landscape, as one of its tables is wide.
    assert len(doc.sections) == 2 and doc.sections[1].orientation == WD_ORIENT.LANDSCAPE
    assert doc.tables[2].cell(0, 1).paragraphs[0].text == "TM. BAN THƯỜNG TRỰC"  # signed before it


def test_a_list_is_signed_by_who_drew_it_up_too():
    doc = _open(Document(header=HEADER, signature=Signature.for_list(), tables=[_table()], landscape=True))
    signature = doc.tables[-1]
    assert signature.cell(0, 0).paragraphs[0].text == documents.PREPARER
    assert {round(s.page_width.mm) for s in doc.sections} == {297}


def test_docx_response_names_the_file():
    response = documents.docx_response(b"x", "bao-cao-2019-2019")
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-2019-2019.docx"'
    assert response["Content-Type"] == documents.DOCX
