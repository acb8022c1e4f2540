"""Names in the order a Vietnamese reader looks for them: Đ right after D, ă â after a,
ơ after ô, tones after letters, and numbered villages by their number."""

import html
import re
import sqlite3

from core.collation import NAME_COLLATION, compare, sort_key
from organizations.models import Organization, OrgKind, Unit, UnitLevel

IN_ORDER = [
    "Ap Bac",
    "Ăn Tây",
    "Ấp Bắc",
    "Bàn Cờ",
    "Bản Lầy",
    "Chư Sê",
    "Dun",
    "Đăk Đoa",
    "Đăk Pơ",
    "Đức Cơ",
    "Eo Gió",
    "Ia Dom",
    "Ia Dơk",
    "Thôn 1",
    "Thôn 2",
    "Thôn 10",
    "Tổ dân phố 3",
]


def test_the_database_sorts_names_of_units_and_organizations_in_vietnamese_order(world):
    for name in reversed(IN_ORDER):
        area = Unit.objects.create(name=name, level=UnitLevel.AREA, parent=world.iadom)
        Organization.objects.create(unit=area, kind=OrgKind.WOMEN, name=f"Chi hội Phụ nữ {name}")
    areas = Unit.objects.filter(parent=world.iadom, name__in=IN_ORDER).order_by("name")
    assert [u.name for u in areas] == IN_ORDER
    branches = Organization.objects.filter(unit__in=areas).order_by("name")
    assert [o.name for o in branches] == [f"Chi hội Phụ nữ {name}" for name in IN_ORDER]


def test_sorting_in_python_agrees_with_the_database():
    assert sorted(reversed(IN_ORDER), key=sort_key) == IN_ORDER
    # Tones after letters, lower case before upper case, as ICU's Vietnamese collation.
    assert sorted(["Bán", "Ban", "Bàn", "ban"], key=sort_key) == ["ban", "Ban", "Bàn", "Bán"]


def test_sorting_names_with_digits_that_are_not_numbers(world, client_for):
    # "²" is a digit to str.isdigit() but no number to int(); "١٢" is twelve in Arabic-Indic.
    assert sorted(["Thôn ²", "Thôn 2", "Thôn ١٢"], key=sort_key) == ["Thôn 2", "Thôn ١٢", "Thôn ²"]
    response = client_for(world.mttq_iadom).post(f"/units/{world.iadom.pk}/areas/new/", {"name": "Thôn ²"})
    assert response.status_code == 302 and Unit.objects.filter(name="Thôn ²").exists()


def test_sqlite_sorts_with_the_same_order():
    """The embedded default (`make run`): the comparison each SQLite connection is taught."""
    db = sqlite3.connect(":memory:")
    db.create_collation(NAME_COLLATION, compare)
    db.execute(f"CREATE TABLE unit (name varchar(200) COLLATE {NAME_COLLATION})")
    db.executemany("INSERT INTO unit VALUES (?)", [(name,) for name in reversed(IN_ORDER)])
    assert [row[0] for row in db.execute("SELECT name FROM unit ORDER BY name")] == IN_ORDER
    db.close()


def test_a_commune_page_lists_its_villages_by_their_number(world, client_for):
    for number in (10, 2, 1):
        Unit.objects.create(name=f"Thôn {number}", level=UnitLevel.AREA, parent=world.iakla)
    body = html.unescape(client_for(world.mttq_iakla).get(f"/units/{world.iakla.pk}/").content.decode())
    listed = re.findall(r">(Thôn \d+)</a>", body)
    assert listed == ["Thôn 1", "Thôn 2", "Thôn 10"]
