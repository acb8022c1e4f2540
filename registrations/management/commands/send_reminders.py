"""E-mail the editors whose registration or results are due soon and not submitted.

Meant for cron, e.g. daily: ``manage.py send_reminders --days 7``.
"""

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organizations.models import Membership, Role
from registrations import selectors
from registrations.models import RegistrationStatus


def reminder_lines(registrations) -> list[str]:
    lines = []
    for reg in registrations:
        if reg.status == RegistrationStatus.ACCEPTED:
            text = _("%(org)s: the results for %(year)s are due on %(date)s.")
            date = reg.period.results_deadline
        else:
            text = _("%(org)s: the registration for %(year)s is due on %(date)s.")
            date = reg.period.registration_deadline
        lines.append(
            text
            % {
                "org": reg.organization.name,
                "year": reg.period.year,
                "date": date_format(date, "SHORT_DATE_FORMAT"),
            }
        )
    return lines


class Command(BaseCommand):
    help = "E-mail editors whose registration or results are not submitted N days before the deadline."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help="How many days before the deadline to remind."
        )

    def handle(self, *args, days, **options):
        with translation.override(settings.LANGUAGE_CODE):
            today = timezone.localdate()
            due = list(selectors.pending_for_editors(today, days))
            by_org = defaultdict(list)
            for reg in due:
                by_org[reg.organization_id].append(reg)
            memberships = (
                Membership.objects.filter(organization_id__in=by_org, role=Role.EDITOR, user__is_active=True)
                .exclude(user__email="")
                .select_related("user")
            )
            per_user = defaultdict(list)
            users = {}
            for m in memberships:
                per_user[m.user_id].extend(by_org[m.organization_id])
                users[m.user_id] = m.user
            for user_id, regs in per_user.items():
                user = users[user_id]
                body = "\n".join(
                    [_("Hello %(name)s,") % {"name": user.get_short_name()}, ""]
                    + reminder_lines(regs)
                    + ["", _("Please submit them in the coordination program portal.")]
                )
                send_mail(_("Reminder: registrations due soon"), body, None, [user.email])
            self.stdout.write(_("%(count)s reminders sent.") % {"count": len(per_user)})
