from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/areas/new/", views.area_create, name="area_create"),
    path("areas/<int:pk>/edit/", views.area_update, name="area_update"),
    path("areas/<int:pk>/active/", views.area_set_active, name="area_set_active"),
    path("accounts/profile/", views.profile, name="profile"),
    path("accounts/password/", views.PortalPasswordChangeView.as_view(), name="password_change"),
    path("users/", views.account_list, name="account_list"),
    path("users/new/", views.account_create, name="account_create"),
    path("users/<int:pk>/", views.account_update, name="account_update"),
    path("users/<int:pk>/active/", views.account_set_active, name="account_set_active"),
    path("users/<int:pk>/reset-password/", views.account_reset_password, name="account_reset_password"),
]
