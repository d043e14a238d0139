"""Forms of the accounts pages (allauth brings its own for log-in and friends)."""

from allauth.account import forms as allauth_forms
from django import forms
from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.urls import reverse

from accounts import time_zones
from accounts.models import WEEKLY_HOURS_HELP, WEEKLY_HOURS_MAX, WEEKLY_HOURS_MIN, Profile
from catalog.models import Style


def weekly_hours_field(**kwargs) -> forms.IntegerField:
    """The study-hours field of the profile and the assessment: bounds from the model."""
    return forms.IntegerField(
        label="Study hours per week",
        min_value=WEEKLY_HOURS_MIN,
        max_value=WEEKLY_HOURS_MAX,
        help_text=WEEKLY_HOURS_HELP,
        **kwargs,
    )


class ProfileForm(forms.ModelForm):
    styles = forms.MultipleChoiceField(
        label="Preferred learning styles",
        choices=Style.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick any that suit you; the roadmap favours resources in these styles.",
    )
    weekly_hours = weekly_hours_field()
    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text="Review reminders and weekly plans follow this clock.",
    )

    class Meta:
        model = Profile
        fields = ["goal", "weekly_hours", "budget", "styles", "time_zone"]
        labels = {
            "goal": "What you want to build",
            "weekly_hours": "Study hours per week",
            "budget": "Budget",
        }
        widgets = {
            "goal": forms.RadioSelect,
            "budget": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = self.fields["time_zone"]
        zone.choices = time_zones.grouped_choices(extra=self.instance.time_zone)
        if self.instance.time_zone == time_zones.DEFAULT_ZONE:
            # Never chosen (or chosen as UTC): site.js puts the browser's zone forward.
            zone.widget.attrs["data-preselect-browser-zone"] = ""

    def clean_time_zone(self):
        # ChoiceField already refuses unknown names; this keeps the rule next to the data
        # it protects should the widget ever become free text.
        zone = self.cleaned_data["time_zone"]
        if not time_zones.is_known(zone):
            raise forms.ValidationError("Choose a time zone from the list.")
        return zone


class RemindersForm(forms.ModelForm):
    """The email a learner opts in to, on the profile page beside ProfileForm."""

    class Meta:
        model = Profile
        fields = [
            "reminders_daily", "reminders_weekly", "reminders_focus",
            "reminder_time", "weekly_summary_day",
        ]
        labels = {
            "reminders_daily": "A morning email on days with cards or reviews due",
            "reminders_weekly": "A weekly summary: hours, what you finished, your projected finish",
            "reminders_focus": "A note two days before a focus ends",
            "reminder_time": "Time of the emails",
            "weekly_summary_day": "Day of the weekly summary",
        }
        help_texts = {
            "reminder_time": "Your local time, as HH:MM (24-hour clock).",
        }
        widgets = {
            "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reminder_time"].input_formats = ["%H:%M"]
        self.fields["reminder_time"].error_messages["invalid"] = (
            "Enter the time as HH:MM, for example 08:00."
        )
        # Left out of a post (an older form, a script), time and day keep what is saved.
        for name in ["reminder_time", "weekly_summary_day"]:
            self.fields[name].required = False

    def clean_reminder_time(self):
        return self.cleaned_data["reminder_time"] or self.instance.reminder_time

    def clean_weekly_summary_day(self):
        day = self.cleaned_data["weekly_summary_day"]
        return self.instance.weekly_summary_day if day in (None, "") else day


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="We ask again so no one can delete your account from an unattended browser.",
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password


class LoginForm(allauth_forms.LoginForm):
    """allauth's log-in form with the site's wording."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me logged in on this browser"
            self.fields["remember"].help_text = "Leave unticked on a shared computer."


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form, safe against two sign-ups with one address at once.

    `time_zone` is hidden and filled by site.js with the browser's zone; without
    JavaScript it stays empty and the profile keeps UTC.
    """

    time_zone = forms.CharField(
        required=False,
        widget=forms.HiddenInput(attrs={"data-browser-time-zone": ""}),
    )

    def clean_time_zone(self):
        zone = self.cleaned_data["time_zone"]
        return zone if time_zones.is_known(zone) else time_zones.DEFAULT_ZONE

    def save(self, request):
        user = super().save(request)
        if user is not None and self.cleaned_data["time_zone"] != time_zones.DEFAULT_ZONE:
            Profile.objects.update_or_create(
                user=user, defaults={"time_zone": self.cleaned_data["time_zone"]}
            )
        return user

    def try_save(self, request):
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            # allauth checks the address, then inserts: when two requests race, the loser
            # meets the unique constraint. Answer it as if it had come a moment later.
            self.add_error("email", "A user is already registered with this email address.")
            context = {"form": self, "login_url": reverse("account_login")}
            return None, render(request, "account/signup.html", context, status=400)
