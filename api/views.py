"""The page of API tokens: the Front's reviewers (and administrators) issue and revoke the
tokens of the organizations of their subtree; and the API's own 404 in JSON."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.forms import add_service_errors
from organizations import access

from . import services
from .forms import TokenForm, TokenUnitForm
from .models import ApiToken


def _require_manager(request) -> None:
    if not services.can_manage_tokens(request.user):
        access.security_log.warning(
            "permission refused: user=%s permission=api_tokens object=-", request.user.pk
        )
        raise PermissionDenied


@login_required
def token_list(request):
    _require_manager(request)
    tokens = (
        access.permitted(ApiToken.objects.all(), request.user, services.MANAGE)
        .select_related("organization__unit", "issued_by", "revoked_by")
        .annotate(last_call=Max("calls__at"), call_count=Count("calls"))
        .order_by("-issued_at", "-pk")
    )
    return render(request, "api/token_list.html", {"tokens": tokens, "now": timezone.now()})


# The text of a token just issued waits in the session for the page that shows it, which
# takes it out: shown once, after a redirect (a reload does not issue another token).
ISSUED_KEY = "api_token_issued"


@never_cache
@login_required
def token_create(request):
    _require_manager(request)
    unit_form = TokenUnitForm(request.GET if "unit" in request.GET else None, by=request.user)
    unit = unit_form.cleaned_data["unit"] if unit_form.is_bound and unit_form.is_valid() else None
    form = TokenForm(request.POST or None, by=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            token, text = services.issue_token(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            request.session[ISSUED_KEY] = {"pk": token.pk, "text": text}
            return redirect("api:token_issued")
    return render(request, "api/token_form.html", {"form": form, "unit_form": unit_form})


@never_cache
@login_required
@require_GET
def token_issued(request):
    """The token's text, once: the session gives it up as it is shown."""
    _require_manager(request)
    issued = request.session.pop(ISSUED_KEY, None)
    token = (
        access.permitted(ApiToken.objects.select_related("organization"), request.user, services.MANAGE)
        .filter(pk=issued["pk"])
        .first()
        if issued
        else None
    )
    if token is None:
        messages.info(request, _("A token's text is shown only once, right after it is issued."))
        return redirect("api:token_list")
    return render(request, "api/token_issued.html", {"token": token, "text": issued["text"]})


@login_required
@require_POST
def token_revoke(request, pk):
    # 404 outside the user's scope, then 403 (from the service) for those who see the token
    # but do not review: as every record's page.
    token = access.get_visible_or_404(request.user, ApiToken.objects.all(), pk=pk)
    try:
        services.revoke_token(token=token, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The token of “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("api:token_list")


def api_index(request, **kwargs):
    """/api/v1/: where the schema and the docs page are, and the lists (no token needed:
    it holds no data)."""
    lists = ["units", "organizations", "indicators", "programs", "registration_periods", "registrations",
             "households", "sponsorships", "fund_entries", "initiatives", "examples", "outstanding_areas",
             "supervisions"]  # fmt: skip
    return JsonResponse(
        {
            "version": "1",
            "openapi": reverse("api_v1:openapi-json"),
            "docs": reverse("api_v1:openapi-view"),
            "lists": {name: reverse(f"api_v1:{name}") for name in lists},
        },
        json_dumps_params={"ensure_ascii": False},
    )
