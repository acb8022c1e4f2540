"""What the list pages share (filters, pages, the Excel switch, saving a form) and the
health check."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from core.forms import add_service_errors
from core.paging import page_of, query_without_page


def list_filters(form) -> dict:
    if not form.is_valid():
        return {}
    return {k: (v.pk if hasattr(v, "pk") else v) for k, v in form.cleaned_data.items() if v not in (None, "")}


def wants_export(request) -> bool:
    return request.GET.get("export") == "xlsx"


def require_some(qs) -> None:
    """Read-only users (no organization they may write) get 403 on write pages."""
    if not qs.exists():
        raise PermissionDenied


def save_and_redirect(request, form, save, template, context, success, url_name):
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(url_name, pk=obj.pk)
    return render(request, template, {"form": form, **context})


def communes_page(request, rows: list[dict], passes, size: int) -> dict:
    """A per-commune check as its page shows it: how many communes pass (``passes(row)``),
    and a page of them, or of those that do not pass (``?missing=1``)."""
    only_missing = request.GET.get("missing") == "1"
    shown = [row for row in rows if not passes(row)] if only_missing else rows
    return {
        "communes": len(rows),
        "passing": sum(1 for row in rows if passes(row)),
        "only_missing": only_missing,
        "page": page_of(request, shown, size),
        "query": query_without_page(request),
    }


def healthz(request):
    """For load balancers and monitoring: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
