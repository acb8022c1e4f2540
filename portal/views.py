from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.views import i18n
from django.views.decorators.http import require_POST

from campaigns.models import Program
from organizations import access
from organizations.models import Role, Unit, UnitLevel, User

from . import figures

# Apps add panels to the home page through a ``home`` module with
# ``panels(request, scope) -> list[dict]``; each dict names its ``template`` and carries
# what that template needs. They show in this order, above the unit figures.
HOME_PANEL_APPS = ["campaigns", "households", "reports"]


def _home_panels(request, scope) -> list[dict]:
    panels = []
    for app in HOME_PANEL_APPS:
        if find_spec(f"{app}.home") is not None:
            panels.extend(import_module(f"{app}.home").panels(request, scope))
    return panels


@login_required
def home(request):
    """One home page, its panels chosen by the user's widest scope and role."""
    user = request.user
    scope = access.primary_scope(user)
    context = {
        "scope": scope,
        "role": "admin" if user.is_superuser else (scope.role if scope else None),
        "is_leader": scope is not None and scope.role == Role.VIEWER and not user.is_superuser,
        **figures.kept(request, "home", lambda: _home_figures(request, scope)),
    }
    return render(request, "home.html", context)


def _home_figures(request, scope) -> dict:
    user = request.user
    units = access.visible_units(user)
    if scope is not None:
        top = scope.unit
    else:
        top = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    # One level below the top unit: districts of a province, communes of a district,
    # residential areas of a commune. Deeper levels are a click away, so the page stays
    # the same size whatever the scope.
    subunits = (
        units.filter(parent=top)
        .annotate(child_count=Count("children", filter=Q(children__is_active=True)))
        .order_by("-is_active", "name")
        if top is not None
        else Unit.objects.none()
    )
    own_organizations = None
    if scope is not None and scope.kind is not None:
        own_organizations = list(
            access.visible_organizations(user)
            .filter(Q(unit=top) | Q(unit__parent=top))
            .exclude(unit__level=UnitLevel.AREA)
            .select_related("unit")
            .order_by("unit__path")
        )
    return {
        "top_unit": top,
        "programs": list(access.visible(Program.objects.select_related("owner_unit"), user)[:5]),
        "panels": _home_panels(request, scope),
        "subunits": list(subunits),
        "own_organizations": own_organizations,
        # Two counting queries instead of four (each walks the scope's subtree).
        "totals": {
            **units.aggregate(
                communes=Count("pk", filter=Q(level=UnitLevel.COMMUNE)),
                areas=Count("pk", filter=Q(level=UnitLevel.AREA, is_active=True)),
            ),
            **access.visible_organizations(user).aggregate(
                organizations=Count("pk", filter=~Q(unit__level=UnitLevel.AREA)),
                branches=Count("pk", filter=Q(unit__level=UnitLevel.AREA)),
            ),
        },
    }


def healthz(request):
    """For load balancers and monitoring: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_POST
def set_language(request):
    """Django's set_language, and the choice remembered on the user for the next logins."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        if request.user.language != language:
            User.objects.filter(pk=request.user.pk).update(language=language)
            request.user.language = language
    return response
