"""What a token sees: its scope, exactly as a viewer of its organization on the pages; and
households' identity masked unless the token may read personal data."""

import pytest

from households.models import DonorType, FundEntry, Household, PersonalDataAccess
from organizations.models import OrgKind

from .conftest import issue


def test_commune_token_cannot_see_another_communes_households(tokens, api_get, matrix):
    iakla = Household.objects.get(area__parent=matrix.communes["iakla"])
    response = api_get(tokens["commune_front"], f"/households/{iakla.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    listed = {row["id"] for row in api_get(tokens["commune_front"], "/households").json()["items"]}
    assert listed == set(
        Household.objects.filter(area__parent=matrix.communes["iadom"]).values_list("pk", flat=True)
    )
    # Naming the other commune as the filter is no way round: it does not exist for the token.
    assert (
        api_get(tokens["commune_front"], "/households", unit=matrix.communes["iakla"].pk).status_code == 404
    )


@pytest.mark.parametrize(
    "path, kind_key",
    [
        ("/registrations", "organization_kind"),
        ("/initiatives", "organization_kind"),
        ("/examples", "organization_kind"),
        ("/outstanding-areas", "organization_kind"),
        ("/supervisions", "lead_organization_kind"),
        ("/sponsorships", "organization_kind"),
        ("/organizations", "kind"),
    ],
)
def test_kind_limited_token_sees_only_its_kind(tokens, api_get, path, kind_key):
    rows = api_get(tokens["commune_women"], path, page_size=500).json()["items"]
    assert rows, f"{path}: the Women's Union of Ia Dom has records in the world"
    assert {row[kind_key] for row in rows} == {OrgKind.WOMEN}
    # The commune's Front sees every kind of the same commune.
    front_rows = api_get(tokens["commune_front"], path, page_size=500).json()["items"]
    assert len({row[kind_key] for row in front_rows}) > 1


def test_households_are_masked_without_personal_data(matrix, tokens, api_get):
    household = Household.objects.get(area__parent=matrix.communes["iadom"])
    Household.objects.filter(pk=household.pk).update(
        head_name="Nguyễn Văn An",
        birth_year=1975,
        address="Thôn 3",
        phone="0905123456",
        national_id="064123456789",
    )
    for path in ("/households", f"/households/{household.pk}"):
        body = api_get(tokens["commune_front"], path).json()
        row = body["items"][0] if "items" in body else body
        assert row["head_name"] == "N. V. A."
        assert (row["birth_year"], row["address"], row["phone"], row["national_id"]) == (None, "", "", "")
        assert row["ethnicity"] is None
    # No personal data was read: nothing in the personal-data log.
    assert not PersonalDataAccess.objects.exists()


def test_personal_data_token_reads_names_and_is_logged(matrix, api_get):
    world = matrix.world
    issued = issue(world, world.org(world.iadom, OrgKind.FRONT), personal=True, name="CSDL giảm nghèo")
    household = Household.objects.get(area__parent=matrix.communes["iadom"])
    Household.objects.filter(pk=household.pk).update(
        head_name="Nguyễn Văn An", birth_year=1975, national_id="064123456789"
    )
    listed = api_get(issued, "/households").json()["items"][0]
    assert (listed["head_name"], listed["birth_year"]) == ("Nguyễn Văn An", 1975)
    # As on the pages: the ID number masked in a list, whole on the household's own page.
    assert listed["national_id"] == "•••••••••789"
    assert api_get(issued, f"/households/{household.pk}").json()["national_id"] == "064123456789"
    export, view = PersonalDataAccess.objects.order_by("pk")
    assert (export.user, export.action, export.row_count) == (issued.token.user, "export", 1)
    assert export.what == "API: CSDL giảm nghèo"
    assert (view.action, view.household) == ("view", household)


def test_a_donor_who_is_a_person_is_named_only_with_personal_data(matrix, tokens, api_get):
    world = matrix.world
    FundEntry.objects.filter(unit=matrix.communes["iadom"]).update(
        donor="Trần Thị Bình", donor_type=DonorType.INDIVIDUAL
    )
    assert api_get(tokens["commune_front"], "/fund-entries").json()["items"][0]["donor"] == ""
    issued = issue(world, world.org(world.iadom, OrgKind.FRONT), personal=True)
    assert api_get(issued, "/fund-entries").json()["items"][0]["donor"] == "Trần Thị Bình"


def test_exemplary_person_is_named_by_initials_without_personal_data(tokens, api_get):
    rows = api_get(tokens["commune_front"], "/examples").json()["items"]
    assert rows and all(row["name"].endswith(".") and "ma trận" not in row["name"] for row in rows)
