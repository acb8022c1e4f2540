from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("my-files/", views.my_files, name="my_files"),
    path("my-files/status.json", views.status, name="status"),
    path("my-files/<int:pk>/download/", views.download, name="download"),
    path("my-files/<int:pk>/retry/", views.retry, name="retry"),
]
