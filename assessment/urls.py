from django.urls import path

from assessment import email_views, views

app_name = "assessment"

urlpatterns = [
    path("assessment/", views.take, name="take"),
    path("assessment/check/", views.check, name="check"),
    path("assessment/preview/", views.preview, name="preview"),
    path("assessment/history/", views.history, name="history"),
    path("roadmap/", views.roadmap, name="roadmap"),
    path("roadmap/add/", views.add_entry, name="add"),
    path("roadmap/rebuild/", views.rebuild, name="rebuild"),
    path("roadmap/entries/<int:pk>/choose/", views.choose_entry, name="choose"),
    path("roadmap/entries/<int:pk>/skip/", views.skip_entry, name="skip"),
    path("roadmap/entries/<int:pk>/restore/", views.restore_entry, name="restore"),
    path("dashboard/keep-going/", views.keep_going, name="keep_going"),
    path("dashboard/lower-plan/", views.lower_plan, name="lower_plan"),
    path("email/unsubscribe/<str:token>/", email_views.unsubscribe, name="unsubscribe"),
]
