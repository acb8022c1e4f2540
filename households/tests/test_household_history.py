"""A household's own history on its page: the changes of its record, its yearly statuses,
its sponsorships and its supports, newest first, for those who may read them."""

import datetime

from auditlog.context import set_actor
from django.urls import reverse

from households import imports, services
from households.tests.factories import review_list, row
from organizations.models import OrgKind


def _detail(client, household):
    return client.get(reverse("households:detail", args=[household.pk]))


def _helped(world, name="Nay Blơi"):
    with set_actor(world.mttq_iadom):
        return services.create_household(
            area=world.iadom_areas[0], head_name=name, birth_year=1980, by=world.mttq_iadom
        )


def test_household_history_lists_its_status_change_newest_first(client_for, world):
    h = _helped(world)
    with set_actor(world.mttq_iadom):
        services.set_status(household=h, year=2017, status="poor", by=world.mttq_iadom)
        services.set_status(household=h, year=2017, status="escaped", by=world.mttq_iadom)
    response = _detail(client_for(world.mttq_iadom), h)
    body = response.content.decode()
    assert 'id="history"' in body
    history = response.context["history"]
    newest = history[0]
    assert newest.model_label == "Phân loại hằng năm" and newest.action_label == "Sửa đổi"
    changes = {c.label: (c.old, c.new) for c in newest.changes}
    assert changes["Phân loại"] == ("Hộ nghèo", "Hộ thoát nghèo")
    assert "Hộ nghèo → Hộ thoát nghèo" in " ".join(body.split())
    # the household's own creation is there too, last
    assert history[-1].model_label == "Hộ gia đình" and history[-1].action_label == "Tạo mới"
    assert [e.entry.timestamp for e in history] == sorted((e.entry.timestamp for e in history), reverse=True)


def test_household_history_has_its_sponsorships_and_supports_by_name(client_for, world):
    h = _helped(world)
    women = world.org(h.area, OrgKind.WOMEN)
    with set_actor(world.mttq_iadom):
        sponsorship = services.sponsor(household=h, organization=women, year=2017, by=world.mttq_iadom)
        services.record_support(
            household=h,
            date=datetime.date(2017, 11, 1),
            kind="goods",
            value=1_500_000,
            fundings={"organization": 1_500_000},
            sponsorship=sponsorship,
            by=world.mttq_iadom,
        )
    history = _detail(client_for(world.mttq_iadom), h).context["history"]
    labels = [e.model_label for e in history]
    assert "Nhận đỡ đầu" in labels and "Hỗ trợ" in labels
    sponsored = next(e for e in history if e.model_label == "Nhận đỡ đầu")
    assert ("—", women.name) in [(c.old, c.new) for c in sponsored.changes]
    supported = next(e for e in history if e.model_label == "Hỗ trợ")
    assert ("—", "1.500.000") in [(c.old, c.new) for c in supported.changes]


def test_household_history_shows_what_an_import_changed(client_for, world):
    listed = [row(1, "Nay Blơi", 1980)]
    imports.apply_plan(content=review_list(listed), commune=world.iadom, year=2017, by=world.mttq_iadom)
    listed = [row(1, "Nay Blơi", 1980, status="Hộ cận nghèo", members=6)]
    imports.apply_plan(content=review_list(listed), commune=world.iadom, year=2017, by=world.mttq_iadom)
    from households.models import Household

    h = Household.objects.get(head_name="Nay Blơi")
    history = _detail(client_for(world.mttq_iadom), h).context["history"]
    # the newest change of each field
    changed = {(e.model_label, c.label): (c.old, c.new) for e in reversed(history) for c in e.changes}
    assert changed[("Phân loại hằng năm", "Phân loại")] == ("Hộ nghèo", "Hộ cận nghèo")
    assert changed[("Hộ gia đình", "Số nhân khẩu")] == ("4", "6")
    assert {str(e.entry.actor) for e in history} == {str(world.mttq_iadom)}


def test_household_history_links_to_the_change_log_filtered_to_it(client_for, world):
    h = _helped(world)
    _helped(world, name="Siu H' Nga")
    client = client_for(world.mttq_iadom)
    body = _detail(client, h).content.decode()
    link = f"{reverse('reports:audit_log')}?household={h.pk}"
    assert f'href="{link}"' in body
    log = client.get(link)
    assert {r.entry.object_repr for r in log.context["rows"]} == {"Nay Blơi"}
    assert 'id="audit-household"' in log.content.decode()


def test_household_history_is_capped_with_the_newest(client_for, world):
    h = _helped(world)
    # 33 changes: three statuses in turn for each year of a standard up to this one.
    with set_actor(world.mttq_iadom):
        for status in ("escaped", "average", "escaped_near"):
            for year in range(2016, 2027):
                services.set_status(household=h, year=year, status=status, by=world.mttq_iadom)
    history = _detail(client_for(world.mttq_iadom), h).context["history"]
    assert len(history) == 30 and history[0].entry.object_repr.startswith("Nay Blơi 2026")


def test_household_history_not_for_those_who_do_not_read_the_change_log(client_for, world):
    """The member organizations and the leaders see the household, not who changed it
    (access.can_view_audit, as on the change log page)."""
    h = _helped(world)
    for user in (world.phunu_iadom, world.lanhdao):
        response = _detail(client_for(user), h)
        assert response.status_code == 200 and 'id="history"' not in response.content.decode()
    assert 'id="history"' in _detail(client_for(world.mttq_huyen), h).content.decode()


def test_household_history_another_communes_officer_gets_404(client_for, world):
    h = _helped(world)
    assert _detail(client_for(world.mttq_iakla), h).status_code == 404
