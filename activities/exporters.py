"""The Excel layouts of the activities' lists: initiatives, supervision and social criticism,
exemplary examples, outstanding residential areas. Each takes the list's queryset as the
page filters it and returns the file (organizations.exporting.workbook_response: the
official header of the user's own unit, A4, signed below). The widths add up to what
prints at 10 pt or more on a landscape A4 page; long text wraps in its cell."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from organizations.exporting import workbook_response


def initiatives(*, user, qs) -> HttpResponse:
    """``qs``: activities.selectors.initiatives(..., totals=True)."""
    return workbook_response(
        user=user,
        title=_("List of initiatives"),
        filename="mo-hinh",
        headers=[
            _("No."),
            _("Name"),
            _("Organization"),
            _("Commune"),
            _("Residential area"),
            _("Field"),
            _("Start year"),
            _("Status"),
            _("Households reached"),
            _("Value (VND)"),
        ],
        rows=(
            [
                i,
                x.name,
                x.organization.name,
                x.organization.unit.name,
                x.area.name if x.area else "",
                x.field.title,
                x.start_year,
                x.get_status_display(),
                x.total_households or 0,
                x.total_value or 0,
            ]
            for i, x in enumerate(qs.iterator(chunk_size=2000), start=1)
        ),
        widths=[5, 24, 19, 12, 12, 19, 8, 11, 9, 13],
        numbers=(8, 9),
    )


def supervisions(*, user, qs) -> HttpResponse:
    return workbook_response(
        user=user,
        title=_("Supervision and social criticism"),
        filename="giam-sat-phan-bien",
        headers=[
            _("No."),
            _("Date"),
            _("Type"),
            _("Topic"),
            _("Program area"),
            _("Body supervised or draft criticised"),
            _("Lead organization"),
            _("Participating organizations"),
            _("Findings"),
            _("Recommendations"),
            _("Response from the body"),
            _("Follow-up"),
            _("Due date"),
        ],
        rows=(
            [
                i,
                s.held_on,
                s.get_kind_display(),
                s.topic,
                s.get_program_area_display(),
                s.subject,
                s.lead_organization.name,
                ", ".join(o.name for o in s.participants.all()),
                s.findings,
                s.recommendations,
                s.response,
                s.get_follow_up_status_display(),
                s.follow_up_due,
            ]
            for i, s in enumerate(qs, start=1)
        ),
        widths=[5, 12, 10, 13, 9, 10, 10, 10, 11, 11, 10, 9, 12],
    )


def examples(*, user, qs) -> HttpResponse:
    return workbook_response(
        user=user,
        title=_("Exemplary examples"),
        filename="guong-dien-hinh",
        headers=[
            _("No."),
            _("Name"),
            _("Kind"),
            _("Organization"),
            _("Field"),
            _("Year"),
            _("Achievement"),
            _("Certificate"),
            _("Recognition level"),
            _("Decision number"),
            _("Publicised in"),
            _("Publicised on"),
        ],
        rows=(
            [
                i,
                e.name,
                e.get_kind_display(),
                e.organization.name,
                e.field.title,
                e.year,
                e.achievement,
                e.certificate,
                e.get_recognition_level_display(),
                e.decision_number,
                e.publicised_in,
                e.publicised_on,
            ]
            for i, e in enumerate(qs.iterator(chunk_size=2000), start=1)
        ),
        widths=[5, 15, 9, 13, 13, 7, 17, 11, 10, 10, 10, 12],
    )


def outstanding_areas(*, user, qs) -> HttpResponse:
    return workbook_response(
        user=user,
        title=_("Outstanding residential areas"),
        filename="khu-dan-cu-noi-bat",
        headers=[
            _("No."),
            _("Year"),
            _("Commune"),
            _("Residential area"),
            _("Registered by"),
            _("Result at year end"),
            _("Decision number"),
            _("Note"),
        ],
        rows=(
            [
                i,
                o.year,
                o.area.parent.name,
                o.area.name,
                o.organization.name,
                o.get_result_display(),
                o.decision_number,
                o.note,
            ]
            for i, o in enumerate(qs.iterator(chunk_size=2000), start=1)
        ),
        widths=[5, 7, 14, 16, 30, 14, 14, 18],
    )
