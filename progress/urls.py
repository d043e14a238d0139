from django.urls import path

from progress import views

app_name = "progress"

urlpatterns = [
    path("progress/", views.progress_page, name="progress"),
    path("progress/log/", views.log_time, name="log_time"),
    path("progress/<slug:slug>/status/", views.set_status, name="set_status"),
    path("reviews/<int:pk>/", views.complete_review, name="review"),
    path("exercises/<int:pk>/dismiss/", views.dismiss_exercise, name="dismiss_exercise"),
    path("exercises/<int:pk>/done/", views.exercise_done, name="exercise_done"),
    path("focus/", views.choose_focus, name="focus"),
    path("focus/answer/", views.answer_focus, name="focus_answer"),
    path("notes/<slug:slug>/", views.note, name="note"),
    path("cards/review/", views.card_session, name="card_session"),
    path("cards/export.apkg", views.anki_export, name="anki_export"),
    path("concepts/<slug:slug>/add-to-my-cards/", views.add_concept, name="add_concept"),
    path("calendar/new/", views.calendar_new, name="calendar_new"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
