from django.urls import path

from catalog import concept_views

app_name = "concepts"

urlpatterns = [
    path("", concept_views.concept_list, name="list"),
    path("<slug:slug>/", concept_views.concept_detail, name="detail"),
    path("<slug:slug>/notebook.ipynb", concept_views.concept_notebook, name="notebook"),
]
