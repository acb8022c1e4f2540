"""The registrations list is paginated and counts items only for the rows of its page."""

from django.urls import reverse

from organizations.models import OrgKind

from .test_views import _fill


def test_registration_list_pages_with_item_counts(client_for, world, program):
    period = _fill(world, program, 2019, 10)  # 17 + 60 registrations, the Fronts with one item
    client = client_for(world.mttq_huyen)
    first = client.get(reverse("registrations:registration_list"))
    rows = first.context["registrations"]
    assert len(rows) == 50 and first.context["page"].paginator.count == 77
    second = client.get(reverse("registrations:registration_list"), {"year": period.year, "page": 2})
    rest = second.context["registrations"]
    assert len(rest) == 27 and not {r.pk for r in rows} & {r.pk for r in rest}
    for r in [*rows, *rest]:
        assert r.item_count == (1 if r.organization.kind == OrgKind.FRONT else 0)
    assert "page=2" in first.content.decode()
