from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Assessment and roadmap"

    def ready(self):
        # Connects the hand-over of a visitor's assessment on sign-up and log-in.
        from assessment import signals  # noqa: F401
