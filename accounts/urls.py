from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("export/", views.export, name="export"),
    path("export/about/", views.export_about, name="export_about"),
    path("delete/", views.delete_account, name="delete"),
]
