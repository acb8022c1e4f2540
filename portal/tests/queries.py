"""The exact number of queries a page runs (DESIGN.md, "Conventions": every list, dashboard
and report is asserted with ``django_assert_num_queries(N)`` at two data sizes).

Each test gives the same N at a small and a bigger data set, with a comment naming the
queries: one more query for each row would fail it, and so would one more for the page.
"""

from django.urls import reverse


def page_url(name, *args, data=None):
    """A page's address as a function of the test's data: ``url(world) -> (path, query)``,
    ``args`` being functions of the world (``lambda world: world.iadom.pk``)."""
    return lambda world: (reverse(name, args=[arg(world) for arg in args]), data)


def page_queries(client, django_assert_num_queries, url, expected: int, data=None):
    """GET ``url`` (with ``data``), asserting it runs exactly ``expected`` queries, and
    return the response, which must be a 200.

    A first GET settles what only a first visit does (the session renewed after login), so
    the count is that of the page opened again. Counted are the request's own queries:
    on SQLite as on PostgreSQL, the session, the user and the user's memberships come
    first, then the page's."""
    client.get(url, data)
    with django_assert_num_queries(expected, info=url):
        response = client.get(url, data)
    assert response.status_code == 200, url
    return response
