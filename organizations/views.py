from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from core.forms import add_service_errors

from . import access, selectors, services
from .access import Permission
from .forms import AccountForm, AccountUnitForm, AreaForm, NewAccountForm
from .models import SERVICE_ACCOUNT_PREFIX, Membership, Unit, UnitLevel, User


@login_required
def unit_list(request):
    """The top of the user's tree and one level below; each unit page goes deeper."""
    units = (
        selectors.scope_and_next_level(request.user)
        .exclude(level=UnitLevel.AREA)
        .annotate(child_count=Count("children", filter=Q(children__is_active=True)))
        .order_by("path")
    )
    return render(request, "organizations/unit_list.html", {"units": units})


@login_required
def unit_detail(request, pk):
    unit = access.get_visible_or_404(request.user, Unit.objects.select_related("parent"), pk=pk)
    body = render_to_string(
        "organizations/_unit_detail.html", _unit_page(request.user, unit), request=request
    )
    return render(request, "organizations/unit_detail.html", {"unit": unit, "body": body})


def _unit_page(user, unit: Unit) -> dict:
    can_manage_areas = access.can(user, Permission.MANAGE_AREAS, unit)
    return {
        "unit": unit,
        "can_manage_areas": can_manage_areas,
        "area_form": AreaForm() if can_manage_areas else None,
        # Ancestors outside the user's scope are shown as text: their pages answer 404.
        "ancestors": Unit.objects.filter(pk__in=unit.ancestor_ids())
        .exclude(pk=unit.pk)
        .annotate(visible=Exists(access.visible_units(user).filter(pk=OuterRef("pk")))),
        "children": access.visible_units(user).filter(parent=unit).order_by("-is_active", "name"),
        "organizations": access.visible_organizations(user).filter(unit=unit).in_program_order(),
    }


@login_required
@require_POST
def area_create(request, pk):
    commune = access.get_visible_or_404(request.user, Unit, pk=pk, level=UnitLevel.COMMUNE)
    access.require(request.user, Permission.MANAGE_AREAS, commune)
    form = AreaForm(request.POST)
    if form.is_valid():
        try:
            area = services.create_area(commune=commune, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Residential area “%(name)s” added.") % {"name": area.name})
            return redirect("organizations:unit_detail", pk=commune.pk)
    return render(request, "organizations/area_form.html", {"form": form, "commune": commune})


@login_required
def area_update(request, pk):
    area = access.get_visible_or_404(
        request.user, Unit.objects.select_related("parent"), pk=pk, level=UnitLevel.AREA
    )
    access.require(request.user, Permission.MANAGE_AREAS, area.parent)
    form = AreaForm(request.POST or None, initial={"name": area.name, "kind": area.kind})
    if request.method == "POST" and form.is_valid():
        try:
            services.rename_area(area=area, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Residential area renamed."))
            return redirect("organizations:unit_detail", pk=area.parent_id)
    return render(
        request, "organizations/area_form.html", {"form": form, "commune": area.parent, "area": area}
    )


@login_required
@require_POST
def area_set_active(request, pk):
    area = access.get_visible_or_404(
        request.user, Unit.objects.select_related("parent"), pk=pk, level=UnitLevel.AREA
    )
    active = request.POST.get("active") == "1"
    services.set_area_active(area=area, active=active, by=request.user)
    if active:
        messages.success(request, _("Residential area “%(name)s” is active again.") % {"name": area.name})
    else:
        messages.success(
            request,
            _("Residential area “%(name)s” retired; its records are kept.") % {"name": area.name},
        )
    return redirect("organizations:unit_detail", pk=area.parent_id)


# ---------------------------------------------------------------- accounts


@login_required
def profile(request):
    memberships = Membership.objects.filter(user=request.user).select_related("organization__unit")
    return render(request, "organizations/profile.html", {"memberships": memberships})


# Pages that carry a password (typed or shown) are never stored by a browser or a proxy:
# never_cache sends "Cache-Control: no-store" (with no-cache, must-revalidate, private), so
# Back or a shared office computer's cache cannot show a temporary password again.


@method_decorator(never_cache, name="dispatch")
class PortalPasswordChangeView(PasswordChangeView):
    success_url = reverse_lazy("organizations:profile")
    template_name = "registration/password_change_form.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(by=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


def _managed_user_or_404(request, pk):
    user = access.get_visible_or_404(request.user, User, pk=pk)
    access.require(request.user, Permission.MANAGE_USERS, user)
    return user


def _require_user_manager(request):
    if not access.is_reviewer(request.user):
        # Logged like every refusal of access.require.
        access.security_log.warning(
            "permission refused: user=%s permission=manage_users object=-", request.user.pk
        )
        raise PermissionDenied


@login_required
def account_list(request):
    _require_user_manager(request)
    users = (
        access.visible(User.objects.exclude(username__startswith=SERVICE_ACCOUNT_PREFIX), request.user)
        .prefetch_related("memberships__organization__unit")
        .order_by("username")
    )
    return render(request, "organizations/account_list.html", {"users": users})


def _account_unit(request) -> tuple[AccountUnitForm, Unit | None]:
    """The unit chosen above the account form (``?unit=``), checked against the manager's
    units: one outside them is refused with the form's message, and none is used."""
    unit_form = AccountUnitForm(request.GET if "unit" in request.GET else None, by=request.user)
    unit = unit_form.cleaned_data["unit"] if unit_form.is_bound and unit_form.is_valid() else None
    return unit_form, unit


@never_cache
@sensitive_post_parameters("password")
@login_required
def account_create(request):
    _require_user_manager(request)
    unit_form, unit = _account_unit(request)
    form = NewAccountForm(request.POST or None, by=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_account(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Account “%(username)s” created.") % {"username": user.username})
            return redirect("organizations:account_list")
    return render(request, "organizations/account_form.html", {"form": form, "unit_form": unit_form})


@login_required
def account_update(request, pk):
    user = _managed_user_or_404(request, pk)
    membership = user.memberships.select_related("organization").first()
    initial = {"full_name": user.full_name, "email": user.email}
    if membership:
        initial.update(organization=membership.organization, role=membership.role, title=membership.title)
    unit_form, unit = _account_unit(request)
    form = AccountForm(request.POST or None, by=request.user, initial=initial, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_account(user=user, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Account “%(username)s” saved.") % {"username": user.username})
            return redirect("organizations:account_list")
    return render(
        request, "organizations/account_form.html", {"form": form, "unit_form": unit_form, "account": user}
    )


@login_required
@require_POST
def account_set_active(request, pk):
    user = _managed_user_or_404(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_account_active(user=user, active=active, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if active:
            messages.success(request, _("Account “%(username)s” reactivated.") % {"username": user.username})
        else:
            messages.success(
                request,
                _("Account “%(username)s” deactivated; its sessions have ended.")
                % {"username": user.username},
            )
    return redirect("organizations:account_list")


@never_cache
@login_required
@require_POST
def account_reset_password(request, pk):
    user = _managed_user_or_404(request, pk)
    temporary = services.reset_password(user=user, by=request.user)
    return render(
        request, "organizations/password_reset_done.html", {"account": user, "temporary": temporary}
    )


@require_POST
def set_language(request):
    """Django's set_language, and the choice remembered on the user for the next logins."""
    response = i18n.set_language(request)
    if request.user.is_authenticated:
        services.remember_language(language=request.POST.get("language") or "", by=request.user)
    return response
