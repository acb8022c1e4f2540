from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("programs/", views.program_list, name="program_list"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("commune-programs/", views.commune_program_list, name="commune_program_list"),
    path(
        "commune-programs/new/<int:commune_pk>/", views.commune_program_create, name="commune_program_create"
    ),
    path("commune-programs/<int:pk>/edit/", views.commune_program_update, name="commune_program_update"),
    path("documents/", views.document_list, name="document_list"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_update, name="document_update"),
    path("documents/<int:pk>/file/", views.document_file, name="document_file"),
]
