"""What the lists' pagers link with."""


def query_without_page(request) -> str:
    """The list's query string for its pager's links: the filters, without the page shown
    (each link adds its own) or an export (a link to a page is not a download)."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("export", None)
    return params.urlencode()
