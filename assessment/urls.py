from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("assessment/", views.take, name="take"),
    path("assessment/check/", views.check, name="check"),
    path("assessment/preview/", views.preview, name="preview"),
    path("assessment/history/", views.history, name="history"),
    path("roadmap/", views.roadmap, name="roadmap"),
    path("roadmap/add/", views.add_entry, name="add"),
    path("roadmap/entries/<int:pk>/skip/", views.skip_entry, name="skip"),
    path("roadmap/entries/<int:pk>/restore/", views.restore_entry, name="restore"),
    # Progress: statuses, the timeline, reviews, exercises, focus, notes, the calendar feed.
    path("progress/", views.progress_page, name="progress"),
    path("progress/<slug:slug>/status/", views.set_status, name="set_status"),
    path("reviews/<int:pk>/", views.complete_review, name="review"),
    path("exercises/<int:pk>/dismiss/", views.dismiss_exercise, name="dismiss_exercise"),
    path("focus/", views.choose_focus, name="focus"),
    path("focus/answer/", views.answer_focus, name="focus_answer"),
    path("notes/<slug:slug>/", views.note, name="note"),
    path("calendar/new/", views.calendar_new, name="calendar_new"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
