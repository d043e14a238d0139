"""The user model: email is the only identifier."""

from datetime import time

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        constraints = [
            # Two spellings of one address must never become two accounts.
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email


class Goal(models.TextChoices):
    """What the learner wants to build. The values are part of the assessment form contract."""

    COMPUTER_VISION = "computer-vision", "Computer vision"
    NLP = "nlp", "Natural language processing"
    RECOMMENDER_SYSTEMS = "recommender-systems", "Recommender systems"
    GENERAL_ML = "general-ml", "General machine learning"
    RESEARCH = "research", "Research"


class Budget(models.TextChoices):
    FREE = "free", "Free resources only"
    ANY = "any", "Paid resources are fine"


class Weekday(models.IntegerChoices):
    """Python's numbering (date.weekday()): Monday is 0."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


# Study hours per week: one source for the validators, the form fields and their help.
WEEKLY_HOURS_MIN = 1
WEEKLY_HOURS_MAX = 80
WEEKLY_HOURS_HELP = (
    f"A whole number from {WEEKLY_HOURS_MIN} to {WEEKLY_HOURS_MAX}. Your roadmap's dates follow it."
)


class Profile(models.Model):
    """A learner's goal and study preferences; the roadmap builder reads them."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    goal = models.CharField(
        "what you want to build", max_length=30, choices=Goal.choices, default=Goal.GENERAL_ML
    )
    weekly_hours = models.PositiveSmallIntegerField(
        "study hours per week",
        default=5,
        validators=[MinValueValidator(WEEKLY_HOURS_MIN), MaxValueValidator(WEEKLY_HOURS_MAX)],
    )
    budget = models.CharField(max_length=10, choices=Budget.choices, default=Budget.ANY)
    styles = models.JSONField(
        "preferred learning styles",
        default=list,
        blank=True,
        help_text="Values from catalog.models.Style.",
    )
    time_zone = models.CharField(max_length=64, default="UTC")
    updated_at = models.DateTimeField(auto_now=True)
    # Email the learner asked for, and only that: every kind is off until they tick it.
    reminders_daily = models.BooleanField("a morning email on days with reviews due", default=False)
    reminders_weekly = models.BooleanField("a weekly summary", default=False)
    reminders_focus = models.BooleanField(
        "a note two days before a focus ends", default=False
    )
    reminder_time = models.TimeField("time of the emails", default=time(8, 0))
    weekly_summary_day = models.PositiveSmallIntegerField(
        "day of the weekly summary",
        choices=Weekday.choices,
        default=Weekday.MONDAY,
        validators=[MaxValueValidator(6)],
    )

    def __str__(self):
        return f"Profile of {self.user}"

    @classmethod
    def for_user(cls, user):
        profile, _ = cls.objects.get_or_create(user=user)
        return profile
