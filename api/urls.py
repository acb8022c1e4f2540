"""The API (``/api/v1/``, namespace ``api_v1``) and the page that issues its tokens
(``/api-tokens/``, namespace ``api``)."""

from django.http import JsonResponse
from django.urls import include, path
from django.utils import translation

from . import views
from .errors import ApiError
from .v1 import api


def read_only(view):
    """The API only reads: any other method answers 405 in JSON. Django's CSRF check stays
    on (django-ninja turns it off for its views): a GET needs none, and a POST without a
    token is refused with 403 as everywhere else in the portal. (Not functools.wraps: the
    docs views are partials, which the project's tests read the source of.)"""

    def only_get(request, *args, **kwargs):
        if request.method != "GET":
            with translation.override("vi"):
                response = JsonResponse(ApiError(405, "method_not_allowed").body(), status=405)
            response["Allow"] = "GET"
            return response
        return view(request, *args, **kwargs)

    only_get.csrf_exempt = False
    return only_get


api_patterns, api_app, api_namespace = api.urls
for pattern in api_patterns:
    # django-ninja's own root only raises a 404: ours says where the schema and docs are.
    view = views.api_index if pattern.name == "api-root" else pattern.callback
    pattern.callback = read_only(view)

token_patterns = [
    path("api-tokens/", views.token_list, name="token_list"),
    path("api-tokens/new/", views.token_create, name="token_create"),
    path("api-tokens/issued/", views.token_issued, name="token_issued"),
    path("api-tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

urlpatterns = [
    path("api/v1/", include((api_patterns, api_app), namespace=api_namespace)),
    path("", include((token_patterns, "api"))),
]
