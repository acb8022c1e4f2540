from django.urls import path

from . import documents, views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("compliance/", views.compliance, name="compliance"),
    path("reports/", views.report, name="report"),
    path("reports/export.xlsx", views.report_export, name="report_export"),
    path("reports/print/", documents.report_print, name="report_print"),
    path("reports/export.docx", documents.report_docx, name="report_docx"),
    path("reports/review/<int:length>/", views.review, name="review"),
    path("reports/review/<int:length>/export.xlsx", views.review_export, name="review_export"),
    path("reports/review/<int:length>/print/", documents.review_print, name="review_print"),
    path("reports/review/<int:length>/export.docx", documents.review_docx, name="review_docx"),
    path("audit/", views.audit_log, name="audit_log"),
    path("indicators/", views.indicator_catalogue, name="indicators"),
]
