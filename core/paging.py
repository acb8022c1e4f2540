"""The one pager of the lists: a page of rows, and what its links keep of the query.

Its template is ``templates/includes/_pagination.html``."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def page_of(request, items, size: int = PAGE_SIZE, *, count: int | None = None) -> Page:
    """The page ``?page=`` asks for (the last one past the end, the first one for garbage).
    ``count``: the list's length where it is known without counting the rows (from the
    summary figures)."""
    paginator = Paginator(items, size)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The list's query string for its pager's links: the filters, without the page shown
    (each link adds its own) or an export (a link to a page is not a download)."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return params.urlencode()
