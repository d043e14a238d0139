"""Hand a visitor's assessment over to their account when they sign up or log in."""

from allauth.account.signals import user_logged_in
from django.contrib import messages
from django.dispatch import receiver

from assessment.models import take_assessment


@receiver(user_logged_in, dispatch_uid="assessment_attach_session_assessment")
def attach_session_assessment(sender, request, user, **kwargs):
    # Imported here: views import models, and this module is loaded from AppConfig.ready().
    from assessment.views import SESSION_ANSWERS, SESSION_CALIBRATION

    answers = request.session.pop(SESSION_ANSWERS, None)
    if not answers:
        return
    calibration = request.session.pop(SESSION_CALIBRATION, None)
    take_assessment(user, answers, calibration)
    messages.success(request, "Your assessment and roadmap are saved to your account.")
