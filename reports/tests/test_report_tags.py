import pytest
from django.utils import translation

from core.templatetags.numbers import grouped
from reports.selectors import Table
from reports.templatetags.report_tags import chart_row, table_cells


@pytest.mark.parametrize("language, expected", [("vi", "12.345.678"), ("en", "12,345,678")])
def test_report_cells_group_numbers_as_the_rest_of_the_portal(language, expected):
    table = Table("t", "t", ["year", "commune", "kind", "a", "b", "c"], first_number=3)
    with translation.override(language):
        html = table_cells(table, [2021, "Ia Dơk <b>", "Hội", 12345678, -1500, None])
        assert html == (
            "<td>2021</td><td>Ia Dơk &lt;b&gt;</td><td>Hội</td>"
            f'<td class="text-end">{expected}</td>'
            f'<td class="text-end">{grouped(-1500)}</td><td class="text-end"></td>'
        )
        assert grouped(12345678) == expected


def test_totals_row_label_is_escaped_and_not_taken_for_a_year():
    table = Table("t", "t", ["year", "x"], first_number=1)
    with translation.override("vi"):
        assert table_cells(table, ["Tổng <i>", 1000], first_as_written=False) == (
            '<td>Tổng &lt;i&gt;</td><td class="text-end">1.000</td>'
        )


def test_chart_rows_link_each_figure_to_its_list():
    with translation.override("vi"):
        html = chart_row(["Xã Ia <Dơk>", {"n": 1500, "url": "/households/?a=1&b=2"}, 7])
    assert html == (
        '<th scope="row">Xã Ia &lt;Dơk&gt;</th>'
        '<td class="text-end"><a href="/households/?a=1&amp;b=2">1.500</a></td>'
        '<td class="text-end">7</td>'
    )
