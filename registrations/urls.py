from django.urls import path, re_path

from . import documents, views

app_name = "registrations"

urlpatterns = [
    path("registration-periods/", views.period_list, name="period_list"),
    path("registration-periods/new/", views.period_create, name="period_create"),
    path("registration-periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("registration-periods/<int:pk>/close/", views.period_close, name="period_close"),
    path("registration-periods/<int:pk>/expected/", views.period_expected, name="period_expected"),
    path("registration-periods/<int:pk>/accept/", views.period_accept, name="period_accept"),
    path("tracking/", views.tracking, name="tracking"),
    path("registrations/", views.registration_list, name="registration_list"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("registrations/<int:pk>/edit/", views.registration_edit, name="registration_edit"),
    path("registrations/<int:pk>/results/", views.results_edit, name="results_edit"),
    path("registrations/<int:pk>/xlsx/", views.registration_xlsx, name="registration_xlsx"),
    path("registrations/<int:pk>/print/", documents.registration_print, name="registration_print"),
    path("registrations/<int:pk>/docx/", documents.registration_docx, name="registration_docx"),
    path(
        "registrations/<int:pk>/evidence/<int:item_pk>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path("registrations/<int:pk>/upload/", views.registration_upload, name="registration_upload"),
    re_path(
        r"^registrations/(?P<pk>[0-9]+)/(?P<action>submit|return|accept|submit_results|return_results|confirm_results|carry_over)/$",
        views.registration_transition,
        name="registration_transition",
    ),
]
