from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("initiatives/", views.initiative_list, name="initiative_list"),
    path("initiatives/new/", views.initiative_create, name="initiative_create"),
    path("initiatives/check/", views.initiative_check, name="initiative_check"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("initiatives/<int:pk>/edit/", views.initiative_update, name="initiative_update"),
    path("initiatives/<int:pk>/status/", views.initiative_status, name="initiative_status"),
    path("initiatives/<int:pk>/year/", views.initiative_year, name="initiative_year"),
    path("supervision/", views.supervision_list, name="supervision_list"),
    path("supervision/new/", views.supervision_create, name="supervision_create"),
    path("supervision/<int:pk>/", views.supervision_detail, name="supervision_detail"),
    path("supervision/<int:pk>/edit/", views.supervision_update, name="supervision_update"),
    path("examples/", views.example_list, name="example_list"),
    path("examples/new/", views.example_create, name="example_create"),
    path("examples/<int:pk>/", views.example_detail, name="example_detail"),
    path("examples/<int:pk>/edit/", views.example_update, name="example_update"),
    path("outstanding-areas/", views.outstanding_list, name="outstanding_list"),
    path("outstanding-areas/new/", views.outstanding_create, name="outstanding_create"),
    path("outstanding-areas/<int:pk>/", views.outstanding_update, name="outstanding_update"),
]
