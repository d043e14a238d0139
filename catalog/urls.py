from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.resource_list, name="list"),
    path("<slug:slug>/", views.resource_detail, name="detail"),
]
