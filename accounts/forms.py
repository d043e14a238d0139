"""Forms of the accounts pages (allauth brings its own for log-in and friends)."""

import zoneinfo
from functools import cache

from allauth.account import forms as allauth_forms
from django import forms
from django.db import IntegrityError, transaction
from django.shortcuts import render
from django.urls import reverse

from accounts.models import Profile
from catalog.models import Style


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [(zone, zone.replace("_", " ")) for zone in zones]


class ProfileForm(forms.ModelForm):
    styles = forms.MultipleChoiceField(
        label="Preferred learning styles",
        choices=Style.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick any that suit you; the roadmap favours resources in these styles.",
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
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
        help_texts = {
            "weekly_hours": "A whole number from 1 to 80.",
        }
        widgets = {
            "goal": forms.RadioSelect,
            "budget": forms.RadioSelect,
            "weekly_hours": forms.NumberInput(attrs={"min": 1, "max": 80}),
        }

    def clean_time_zone(self):
        # ChoiceField already refuses unknown names; this keeps the rule next to the data
        # it protects should the widget ever become free text.
        zone = self.cleaned_data["time_zone"]
        if zone not in zoneinfo.available_timezones():
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
            "reminders_daily": "A morning email on days with reviews due",
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
    """allauth's sign-up form, safe against two sign-ups with one address at once."""

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
