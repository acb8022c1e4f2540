"""The trail above every page: Overview › the menu's section › the menu's entry › the page.

Derived from the address: the page belongs to the menu entry (templates/includes/_nav_items.html)
whose address is the longest start of its own, and the page's name is its ``title`` block, as
the browser's tab shows it. A page that passes ``crumbs`` (label, address or None) gets those;
a page whose template draws its own trail in its content gets none from here.
"""

from __future__ import annotations

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()

# The menu's sections and entries as the menu shows them: (section or None for an entry on
# its own, [(entry, URL name, arguments)]).
MENU = [
    (None, [(_("Programs"), "programs:program_list", ())]),
    (
        pgettext_lazy("menu", "Registration"),
        [
            (_("Registrations"), "registrations:registration_list", ()),
            (_("Registration periods"), "registrations:period_list", ()),
        ],
    ),
    (
        _("Poverty support"),
        [
            (_("Households"), "households:list", ()),
            (_("Gap list"), "households:gaps", ()),
            (_("“For the Poor” fund"), "households:fund_home", ()),
        ],
    ),
    (
        _("Activities"),
        [
            (_("Initiatives"), "activities:initiative_list", ()),
            (_("Exemplary examples"), "activities:example_list", ()),
            (_("Outstanding residential areas"), "activities:outstanding_list", ()),
            (_("Supervision and social criticism"), "activities:supervision_list", ()),
            (_("Commune programs"), "programs:commune_program_list", ()),
            (_("Program documents"), "programs:document_list", ()),
        ],
    ),
    (
        _("Reports"),
        [
            (_("Dashboard"), "reports:dashboard", ()),
            (_("Compliance panel"), "reports:compliance", ()),
            (_("Reports"), "reports:report", ()),
            (_("Preliminary review (3 years)"), "reports:review", (3,)),
            (_("Final review (5 years)"), "reports:review", (5,)),
            (_("Change log"), "reports:audit_log", ()),
        ],
    ),
    (None, [(_("Units"), "organizations:unit_list", ())]),
    (
        _("Accounts"),
        [
            (_("User accounts"), "organizations:account_list", ()),
            (_("API tokens"), "api:token_list", ()),
        ],
    ),
]
# Pages outside every entry's address that still belong to one section: by the app.
SECTION_OF_APP = {"registrations": 1, "households": 2, "activities": 3, "reports": 4, "api": 6}
# Templates that draw their own trail in their content (their own links between levels), as
# do the record forms (templates/includes/_record_form.html, its ``form_breadcrumbs`` block).
OWN_TRAIL = {
    "api/token_form.html",
    "organizations/account_form.html",
    "organizations/area_form.html",
    "organizations/unit_detail.html",
    "registrations/period_form.html",
    "registrations/period_detail.html",
    "registrations/registration_detail.html",
    "registrations/registration_form.html",
    "registrations/results_form.html",
}
# The page's name is left out when it is the site's own (a page without a title).
SITE_TITLE_TEMPLATE = "base.html"


def _entries():
    for index, (section, entries) in enumerate(MENU):
        for label, name, args in entries:
            try:
                yield index, section, label, reverse(name, args=args)
            except NoReverseMatch:
                continue


def _title(context) -> str:
    """The page's ``title`` block as the page fills it; empty when the page keeps the site's."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    node = blocks.get_block("title") if blocks is not None else None
    if node is None or getattr(node.origin, "template_name", None) == SITE_TITLE_TEMPLATE:
        return ""
    with context.push():
        return node.nodelist.render(context).strip()


def trail(path: str, app: str, title: str) -> list[tuple[str, str | None]]:
    """(label, address or None) after "Overview" for the page at ``path`` of ``app``."""
    found = max(
        ((index, section, label, url) for index, section, label, url in _entries() if path.startswith(url)),
        key=lambda entry: len(entry[3]),
        default=None,
    )
    crumbs: list[tuple[str, str | None]] = []
    if found is not None:
        _index, section, label, url = found
        if section:
            crumbs.append((str(section), None))
        if url == path:
            return [*crumbs, (str(label), None)]
        crumbs.append((str(label), url))
    elif app in SECTION_OF_APP:
        crumbs.append((str(MENU[SECTION_OF_APP[app]][0]), None))
    if title and (not crumbs or crumbs[-1][0] != title):
        crumbs.append((title, None))
    return crumbs


@register.inclusion_tag("includes/_breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """The trail of the page being drawn (``trail``), or the page's own ``crumbs``."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    own = (context.template is not None and context.template.name in OWN_TRAIL) or (
        blocks is not None and blocks.get_block("form_breadcrumbs") is not None
    )
    if "crumbs" in context:
        crumbs = context["crumbs"]
    elif match is None or match.view_name == "home" or own:
        crumbs = None
    else:
        crumbs = trail(request.path, match.app_name, _title(context))
    return {"crumbs": crumbs}
