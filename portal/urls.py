from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core.views import healthz
from organizations.views import set_language
from reports.views import home

admin.site.site_header = _("Portal administration")
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Data of the portal")

# A database trouble raised outside a view (the session, the user) answers 503 too.
handler500 = "core.middleware.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("organizations.urls")),
    path("", include("programs.urls")),
    path("", include("registrations.urls")),
    path("", include("activities.urls")),
    path("", include("households.urls")),
    path("", include("reports.urls")),
    path("", include("api.urls")),
    path("", include("jobs.urls")),
    path("admin/", admin.site.urls),
]
