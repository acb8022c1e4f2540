from django.urls import path

from . import views

app_name = "households"

urlpatterns = [
    path("households/", views.household_list, name="list"),
    path("households/export.xlsx", views.household_export, name="export"),
    path("households/new/", views.household_create, name="create"),
    path("households/<int:pk>/", views.household_detail, name="detail"),
    path("households/<int:pk>/edit/", views.household_update, name="update"),
    path("households/<int:pk>/status/", views.status_create, name="status"),
    path("households/<int:pk>/sponsor/", views.sponsor_create, name="sponsor"),
    path("households/<int:pk>/other-sponsor/", views.other_sponsor_create, name="other_sponsor"),
    path("households/<int:pk>/support/", views.support_create, name="support"),
    path("households/<int:pk>/assign/", views.gap_assign, name="assign"),
    path("households/gaps/", views.gap_list, name="gaps"),
    path("households/import/", views.import_upload, name="import"),
    path("households/import/template.xlsx", views.import_template, name="import_template"),
    path("households/import/<int:pk>/", views.import_preview, name="import_preview"),
    path("households/import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("households/access-log/", views.access_log, name="access_log"),
    path("fund/", views.fund_home, name="fund_home"),
    path("fund/<int:unit>/", views.fund_ledger, name="fund"),
    path("fund/<int:unit>/export.xlsx", views.fund_export, name="fund_export"),
    path("fund/entries/<int:pk>/reverse/", views.fund_reverse, name="fund_reverse"),
]
