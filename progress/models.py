"""A learner's progress: statuses and their log, reviews, focus, notes, calendar, exercises.

Everything here is keyed by (user, resource) and never by a roadmap entry, so rebuilding the
roadmap never touches it. The tables keep the names they had in the assessment app.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from accounts.models import Profile
from catalog.models import Resource
from progress import cards, exercises, goals, ical, notes, reviews


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


@dataclass(frozen=True)
class StatusChange:
    progress: "Progress"
    changed: bool
    previous: str


class ProgressQuerySet(models.QuerySet):
    def statuses(self) -> dict[int, "Progress"]:
        """{resource id: Progress} in one query."""
        return {p.resource_id: p for p in self}

    def for_timeline(self):
        return self.select_related("resource").order_by("-updated_at", "-id")

    def change(self, user, resource: Resource, status: str, reason: str = "") -> StatusChange:
        """Set `user`'s status on `resource`: the one way a status changes.

        One transaction that locks the learner's row first, so simultaneous changes by
        one learner (a double click, two tabs) queue and each sees what the one before
        wrote. Repeating the current status writes nothing; a real change logs an event, a
        start or finish adds the recall cards of the resource's concepts (due tomorrow in
        the learner's time zone) and a finish suggests an exercise.
        """
        if status not in Status.values:
            raise ValueError(f"Unknown status {status!r}")
        reason = reason.strip()[:200] if status == Status.SKIPPED else ""
        with transaction.atomic():
            # The lock's query also reads the learner's time zone, for the dates set below.
            zone = (
                get_user_model()
                .objects.select_for_update()
                .filter(pk=user.pk)
                .annotate(zone=Subquery(
                    Profile.objects.filter(user=OuterRef("pk")).values("time_zone")[:1]
                ))
                .values_list("zone", flat=True)
                .get()
            ) or "UTC"
            progress = self.filter(user=user, resource=resource).first()
            previous = progress.status if progress else Status.NOT_STARTED
            if progress and (progress.status, progress.skip_reason) == (status, reason):
                return StatusChange(progress, changed=False, previous=previous)
            now = timezone.now()
            progress = progress or Progress(user=user, resource=resource)
            progress.status, progress.skip_reason, progress.updated_at = status, reason, now
            if status == Status.NOT_STARTED:
                progress.started_at = None
            elif status in (Status.IN_PROGRESS, Status.DONE) and progress.started_at is None:
                progress.started_at = now
            progress.finished_at = now if status == Status.DONE else None
            progress.save()
            ProgressEvent.objects.create(user=user, resource=resource, status=status, at=now)
            # Reviews are of the concepts' cards: starting or finishing a resource brings
            # its cards, due tomorrow, and they stay the learner's whatever the status does.
            if status in (Status.IN_PROGRESS, Status.DONE):
                today = reviews.local_date(now, zone)
                LearnerCard.objects.meet_resource(user, resource, today, now)
            if status == Status.DONE:
                ExerciseSuggestion.objects.suggest(user, resource, now)
        return StatusChange(progress, changed=True, previous=previous)


class Progress(models.Model):
    """Where a learner is with one resource. One row per (user, resource), ever."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress"
    )
    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.CASCADE, related_name="progress_records"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    skip_reason = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        db_table = "assessment_progress"
        verbose_name_plural = "progress"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "resource"], name="progress_user_resource_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="progress_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.resource} for {self.user}: {self.get_status_display()}"


class ProgressEventQuerySet(models.QuerySet):
    def since(self, first_day, tz_name):
        """Events from the start of `first_day` in the learner's zone."""
        start = datetime.combine(first_day, time.min, tzinfo=reviews.zone(tz_name))
        return self.filter(at__gte=start)

    def per_local_day(self, tz_name):
        """(local date, number of events) pairs, one query, for the activity heatmap."""
        return (
            self.order_by()
            .annotate(day=TruncDate("at", tzinfo=reviews.zone(tz_name)))
            .values("day")
            .annotate(n=Count("id"))
            .values_list("day", "n")
        )


class ProgressEvent(models.Model):
    """One status change, as it happened: the learner's timeline and activity heatmap."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress_events"
    )
    resource = models.ForeignKey("catalog.Resource", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField(default=timezone.now)

    objects = ProgressEventQuerySet.as_manager()

    class Meta:
        db_table = "assessment_progressevent"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"], name="progress_event_user_at")]

    def __str__(self):
        return f"{self.user} → {self.status} on {self.resource} at {self.at:%Y-%m-%d %H:%M}"


class Rating(models.TextChoices):
    AGAIN = reviews.AGAIN, "Again"
    HARD = reviews.HARD, "Hard"
    GOOD = reviews.GOOD, "Good"
    EASY = reviews.EASY, "Easy"


class ReviewQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(done_at__isnull=True)


class Review(models.Model):
    """A spaced review of a whole finished resource, from before reviews were of cards.

    Retired: nothing schedules these any more (migration 0005 removed the pending ones).
    The rated ones stay as the learner's history and in their export.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    resource = models.ForeignKey("catalog.Resource", on_delete=models.CASCADE, related_name="+")
    due = models.DateField()
    interval_days = models.PositiveSmallIntegerField()
    done_at = models.DateTimeField(null=True, blank=True)
    rating = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        db_table = "assessment_review"
        ordering = ["due", "id"]
        indexes = [
            models.Index(
                fields=["user", "due"],
                condition=Q(done_at__isnull=True),
                name="review_pending_user_due",
            )
        ]

    def __str__(self):
        return f"Review of {self.resource} for {self.user} due {self.due}"


FOCUS_DAYS = 14
EXTEND_DAYS = 7


class FocusOutcome(models.TextChoices):
    DONE = "done", "Done — I finished it"
    EXTENDED = "extended", "Extend a week"
    SWITCHED = "switched", "Switch to something else"


class FocusQuerySet(models.QuerySet):
    def start(self, user, resource: Resource, today: date) -> "Focus":
        """Make `resource` the learner's focus for two weeks; an open focus counts as switched.

        When another request chose a focus at the same moment (a double click, a second tab),
        that one is kept and returned: the learner has one focus, whichever request won.
        """
        with transaction.atomic():
            now = timezone.now()
            user.focuses.select_for_update().filter(answered_at__isnull=True).update(
                outcome=FocusOutcome.SWITCHED, answered_at=now
            )
            try:
                with transaction.atomic():
                    focus = self.create(
                        user=user,
                        resource=resource,
                        starts_on=today,
                        ends_on=today + timedelta(days=FOCUS_DAYS),
                        created_at=now,
                    )
            except IntegrityError:
                # The other request's focus was committed after our update looked for open
                # ones; each statement sees what is committed, so this finds it.
                return user.focuses.select_related("resource").get(answered_at__isnull=True)
            # Committing to a resource means working on it.
            progress = user.progress.filter(resource=resource).first()
            if progress is None or progress.status in (Status.NOT_STARTED, Status.SKIPPED):
                Progress.objects.change(user, resource, Status.IN_PROGRESS)
        return focus


class Focus(models.Model):
    """The one resource a learner commits to for two weeks, and how it went."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="focuses"
    )
    resource = models.ForeignKey("catalog.Resource", on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=FocusOutcome.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = FocusQuerySet.as_manager()

    class Meta:
        db_table = "assessment_focus"
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "focuses"
        constraints = [
            # At most one open commitment: choosing a new focus closes the old one first.
            models.UniqueConstraint(
                fields=["user"], condition=Q(answered_at__isnull=True), name="focus_one_open"
            )
        ]

    def __str__(self):
        return f"{self.user} focuses on {self.resource} until {self.ends_on}"

    def days_left(self, today) -> int:
        return max(0, (self.ends_on - today).days)

    def has_ended(self, today) -> bool:
        return today >= self.ends_on

    def answer(self, outcome: str, today: date) -> bool:
        """Record how the focus went; "extended" opens one more week on the same resource.

        False when the focus was answered meanwhile, by another request (a double click, a
        second tab) or by choosing a new focus: then nothing changes and that answer stands.
        """
        with transaction.atomic():
            # Lock the focus and look again: answering twice would open a second week (and
            # break the one-open-focus constraint) or overwrite the first answer.
            if not Focus.objects.select_for_update().filter(
                pk=self.pk, answered_at__isnull=True
            ).exists():
                return False
            self.outcome = outcome
            self.answered_at = timezone.now()
            self.save(update_fields=["outcome", "answered_at"])
            if outcome == FocusOutcome.DONE:
                Progress.objects.change(self.user, self.resource, Status.DONE)
            if outcome == FocusOutcome.EXTENDED:
                Focus.objects.create(
                    user=self.user,
                    resource=self.resource,
                    starts_on=today,
                    ends_on=max(today, self.ends_on) + timedelta(days=EXTEND_DAYS),
                )
        return True


class NoteQuerySet(models.QuerySet):
    def put(self, user, resource: Resource, text: str) -> "Note":
        """Create or replace the learner's note on `resource` in one upsert, rendered once."""
        note = Note(
            user=user,
            resource=resource,
            text=text,
            text_html=notes.render_markdown(text),
            updated_at=timezone.now(),
        )
        (note,) = self.bulk_create(
            [note],
            update_conflicts=True,
            unique_fields=["user", "resource"],
            update_fields=["text", "text_html", "updated_at"],
        )
        return note


class Note(models.Model):
    """A learner's private Markdown note on one resource."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes"
    )
    resource = models.ForeignKey("catalog.Resource", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True, max_length=notes.MAX_NOTE_LENGTH)
    # `text` rendered and cleaned when it was saved: pages show this and never parse a note.
    text_html = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = NoteQuerySet.as_manager()

    class Meta:
        db_table = "assessment_note"
        constraints = [
            models.UniqueConstraint(fields=["user", "resource"], name="note_user_resource_unique")
        ]

    def __str__(self):
        return f"Note of {self.user} on {self.resource}"

    def save(self, *args, **kwargs):
        # However a note is saved, the HTML shown follows its text.
        self.text_html = notes.render_markdown(self.text)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "text_html"}
        super().save(*args, **kwargs)

    @property
    def html(self):
        return notes.trusted(self.text_html)


def new_calendar_secret() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a learner's calendar feed URL. Revoking it makes the URL 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_secret)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "assessment_calendartoken"
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="calendar_one_live"
            )
        ]

    def __str__(self):
        return f"Calendar feed of {self.user}{' (revoked)' if self.revoked_at else ''}"

    @classmethod
    def issue(cls, user) -> "CalendarToken":
        """A fresh secret for `user`; the previous one (if any) is revoked first.

        When another request issued one at the same moment (a double click), that one is
        the learner's address and is returned.
        """
        with transaction.atomic():
            cls.revoke_all(user)
            try:
                with transaction.atomic():
                    return cls.objects.create(user=user)
            except IntegrityError:
                # The other secret was committed after revoke_all looked: it is live now.
                return cls.objects.get(user=user, revoked_at__isnull=True)

    def as_ics(self, base_url: str, session_path: str) -> bytes:
        """The learner's card reviews per day and the end of their open focus, as iCalendar.

        Cards overdue are counted on today's event (today in the learner's time zone).
        """
        user = self.user
        today = reviews.local_today(learner_time_zone(user))
        items = [
            ical.CardsDayItem(
                day=day, count=count, stamp=stamp, url=base_url + session_path
            )
            for day, count, stamp in user.learner_cards.per_due_day(today)
        ]
        focus = user.focuses.filter(answered_at__isnull=True).select_related("resource").first()
        focus_item = focus and ical.FocusItem(
            id=focus.pk,
            resource_title=focus.resource.title,
            ends_on=focus.ends_on,
            stamp=focus.created_at,
            url=base_url + focus.resource.get_absolute_url(),
        )
        return ical.build_calendar(items, focus_item)

    @classmethod
    def revoke_all(cls, user) -> int:
        return cls.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


EXERCISE_HOURS = 24


class ExerciseSuggestionQuerySet(models.QuerySet):
    def open(self):
        """Suggestions neither done nor dismissed, the newest first."""
        return self.filter(dismissed_at__isnull=True, done_at__isnull=True).order_by(
            "-created_at", "-id"
        )

    def for_dashboard(self):
        return self.open().select_related("resource", "concept_exercise__concept")

    def suggest(self, user, resource: Resource, now) -> "ExerciseSuggestion | None":
        """The notebook exercise of a concept `resource` teaches, due within 24 hours.

        A concept at the resource's own level first. Never one the learner was given
        before; when the resource's concepts have none left, its area's general exercise,
        once. None when there is nothing new to suggest.
        """
        from catalog.models import Exercise

        given = self.filter(user=user, concept_exercise__isnull=False)
        exercise = (
            Exercise.objects.filter(
                concept__locations__resource=resource, concept__published=True
            )
            .exclude(pk__in=given.values("concept_exercise_id"))
            .annotate(
                off_level=models.Case(
                    models.When(
                        concept__level=models.F("concept__locations__resource__level"), then=0
                    ),
                    default=1,
                    output_field=models.IntegerField(),
                )
            )
            .order_by("off_level", "concept__position", "pk")
            .only("pk")
            .first()
        )
        domain = exercises.GENERAL
        if exercise is None:
            domain = exercises.domain_for_exercise(resource.domains.values_list("slug", flat=True))
            general = self.filter(user=user, concept_exercise__isnull=True, domain=domain)
            if general.exists():
                return None
        return self.create(
            user=user,
            resource=resource,
            concept_exercise=exercise,
            domain=domain,
            created_at=now,
            due_at=now + timedelta(hours=EXERCISE_HOURS),
        )


class ExerciseSuggestion(models.Model):
    """'Code it within 24 hours': the exercise suggested when a resource was finished."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_suggestions"
    )
    resource = models.ForeignKey("catalog.Resource", on_delete=models.CASCADE, related_name="+")
    # The notebook exercise of one of the resource's concepts; empty for the area's general
    # exercise (`domain`), given when the concepts have none left and before concepts existed.
    concept_exercise = models.ForeignKey(
        "catalog.Exercise", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    domain = models.SlugField(max_length=50)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    objects = ExerciseSuggestionQuerySet.as_manager()

    class Meta:
        db_table = "assessment_exercisesuggestion"
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same exercise never twice: finishing another resource on the same concept
            # suggests the next one.
            models.UniqueConstraint(
                fields=["user", "concept_exercise"], name="exercise_suggested_once"
            )
        ]

    def __str__(self):
        return f"Exercise for {self.user} after {self.resource}"

    @property
    def exercise(self):
        """What to code: the concept's notebook exercise, or the area's general one."""
        return self.concept_exercise or exercises.exercise_for(self.domain)

    def mark_done(self) -> bool:
        """Record that the learner coded it; False when it was already done."""
        return bool(
            ExerciseSuggestion.objects.filter(pk=self.pk, done_at__isnull=True).update(
                done_at=timezone.now()
            )
        )


def learner_time_zone(user) -> str:
    """The learner's IANA time zone name from their profile (UTC when unset)."""
    zone = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
    return zone or "UTC"


# --- Recall cards: what a learner has met, and their spaced reviews of it -----------------


class ConceptSource(models.TextChoices):
    RESOURCE = "resource", "A resource I started or finished"
    HAND = "hand", "Added by hand"


class KnownConcept(models.Model):
    """A concept the learner has met, and how: through a resource, or added by hand."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="known_concepts"
    )
    concept = models.ForeignKey("catalog.Concept", on_delete=models.CASCADE, related_name="+")
    first_seen = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=10, choices=ConceptSource.choices)
    resource = models.ForeignKey(
        "catalog.Resource", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "concept"], name="known_concept_once")
        ]

    def __str__(self):
        return f"{self.user} knows {self.concept}"


# One statement gives learners the cards of what they started or finished: the concepts
# become known and their cards the learner's, each only once (Django's bulk_create cannot
# insert from a SELECT). A status change runs it for one learner and one resource, with the
# due date from Python; catch_up_cards for everyone, each due tomorrow in their own zone.
_MEET_SQL = """
WITH met AS (
    SELECT DISTINCT ON (p.user_id, l.concept_id)
        p.user_id, l.concept_id, l.resource_id,
        COALESCE(%(due)s::date,
                 (%(now)s AT TIME ZONE COALESCE(pr.time_zone, 'UTC'))::date + 1) AS due
    FROM assessment_progress p
    JOIN catalog_conceptlocation l ON l.resource_id = p.resource_id
    JOIN catalog_concept c ON c.id = l.concept_id AND c.published
    LEFT JOIN accounts_profile pr ON pr.user_id = p.user_id
    WHERE p.status IN (%(in_progress)s, %(done)s)
        AND (%(user)s::bigint IS NULL OR p.user_id = %(user)s::bigint)
        AND (%(resource)s::bigint IS NULL OR p.resource_id = %(resource)s::bigint)
    ORDER BY p.user_id, l.concept_id, l.resource_id
), known AS (
    INSERT INTO progress_knownconcept (user_id, concept_id, first_seen, source, resource_id)
    SELECT user_id, concept_id, %(now)s, 'resource', resource_id FROM met
    ON CONFLICT (user_id, concept_id) DO NOTHING
)
INSERT INTO progress_learnercard
    (user_id, card_id, state, due, reps, lapses, created_at)
SELECT m.user_id, r.id, 'new', m.due, 0, 0, %(now)s
FROM met m JOIN catalog_recallcard r ON r.concept_id = m.concept_id
ON CONFLICT (user_id, card_id) DO NOTHING
"""


def _meet(user=None, resource=None, due=None, now=None) -> int:
    """Run _MEET_SQL for one learner's resource or, with no arguments, for everyone."""
    params = {
        "user": user.pk if user else None,
        "resource": resource.pk if resource else None,
        "due": due,
        "now": now or timezone.now(),
        "in_progress": Status.IN_PROGRESS,
        "done": Status.DONE,
    }
    with connection.cursor() as cursor:
        cursor.execute(_MEET_SQL, params)
        return cursor.rowcount


class LearnerCardQuerySet(models.QuerySet):
    def catch_up(self) -> int:
        """Give every learner the cards of the concepts their started and finished resources
        teach and they do not have yet (resources finished before cards existed, a concept a
        curator has since added to one), due tomorrow; cards they have stay as they are.
        Returns how many cards were added."""
        return _meet()

    def meet_resource(self, user, resource: Resource, today: date, now) -> None:
        """The cards of the concepts `resource` teaches join the learner's, due tomorrow.

        Called once the learner's status on `resource` is in progress or done."""
        _meet(user, resource, due=cards.new_card(today).due, now=now)

    def add_concept(self, user, concept, today: date) -> int:
        """Add a concept by hand: it becomes known and its cards due tomorrow. New cards."""
        now = timezone.now()
        with transaction.atomic():
            KnownConcept.objects.bulk_create(
                [KnownConcept(user=user, concept=concept, first_seen=now,
                              source=ConceptSource.HAND)],
                ignore_conflicts=True,
            )
            before = self.filter(user=user, card__concept=concept).count()
            self.bulk_create(
                [
                    LearnerCard(user=user, card=card, due=cards.new_card(today).due,
                                created_at=now)
                    for card in concept.cards.all()
                ],
                ignore_conflicts=True,
            )
            return self.filter(user=user, card__concept=concept).count() - before

    def due_by(self, today: date):
        return self.filter(due__lte=today)

    def for_session(self, today: date, goal: str = ""):
        """Due cards, the learner's goal's key concepts first, then the longest waiting."""
        key = Q(card__concept__slug__in=goals.key_concepts(goal))
        if goals.key_level(goal):
            key |= Q(card__concept__level=goals.key_level(goal))
        first = models.Case(
            models.When(key, then=0), default=1, output_field=models.IntegerField()
        )
        return (
            self.due_by(today)
            .select_related("card__concept__domain")
            .annotate(key_first=first)
            .order_by("key_first", "due", "card__concept__position", "card__position", "id")
        )

    def due_summary(self, today: date) -> dict:
        """How many cards are due today (overdue included) and tomorrow, in one query."""
        return self.aggregate(
            today=Count("id", filter=Q(due__lte=today)),
            tomorrow=Count("id", filter=Q(due=today + timedelta(days=1))),
            total=Count("id"),
        )

    def per_due_day(self, today: date):
        """(day, cards due, last change) per day from today on; overdue cards count today."""
        return (
            self.order_by()
            .annotate(day=Greatest("due", models.Value(today, output_field=models.DateField())))
            .values("day")
            .annotate(n=Count("id"), stamp=Max(Coalesce("last_review", "created_at")))
            .order_by("day")
            .values_list("day", "n", "stamp")
        )

    def for_anki(self):
        return self.select_related("card__concept__domain").order_by(
            "card__concept__domain__order", "card__concept__position", "card__position"
        )

    def for_export(self):
        return self.select_related("card__concept").order_by(
            "card__concept__slug", "card__key"
        )


class CardState(models.TextChoices):
    NEW = cards.NEW, cards.STATE_LABELS[cards.NEW]
    REVIEW = cards.REVIEW, cards.STATE_LABELS[cards.REVIEW]
    RELEARNING = cards.RELEARNING, cards.STATE_LABELS[cards.RELEARNING]


class CardRating(models.IntegerChoices):
    AGAIN = cards.AGAIN, "Again"
    HARD = cards.HARD, "Hard"
    GOOD = cards.GOOD, "Good"
    EASY = cards.EASY, "Easy"


class LearnerCard(models.Model):
    """One recall card in one learner's deck, with its FSRS schedule (due on a local date)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_cards"
    )
    card = models.ForeignKey("catalog.RecallCard", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=CardState.choices, default=CardState.NEW)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateField()
    last_review = models.DateTimeField(null=True, blank=True)
    # The learner's local date of the last review: FSRS counts days between reviews in it.
    last_review_on = models.DateField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = LearnerCardQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "card"], name="learner_card_once"),
            models.CheckConstraint(
                condition=Q(state__in=CardState.values), name="learner_card_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["user", "due"], name="learner_card_user_due")]

    def __str__(self):
        return f"{self.card} for {self.user}, due {self.due}"

    @property
    def schedule(self) -> cards.Schedule:
        return cards.Schedule(
            state=self.state,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due,
            last_review=self.last_review_on,
            reps=self.reps,
            lapses=self.lapses,
        )

    def rate(self, rating: int, today: date) -> bool:
        """Record a 1-4 rating given on the learner's local `today` and schedule the card.

        One statement, atomic on its own and without a lock: the update only applies while
        the card still has the repetitions this request read, so a second click or tab
        rating the same card finds it moved on and changes nothing (False), and the review
        row is inserted only for the update that applied.
        """
        after = cards.review(self.schedule, rating, today)
        now = timezone.now()
        # Why SQL: one statement in autocommit instead of BEGIN, UPDATE, INSERT and COMMIT.
        # Measured in two back-to-back pairs of benchmark runs (docs/performance.md, "The
        # card answer in one statement"): 182-227 requests/s with the ORM transaction,
        # 244-262 with this, 46-48 % of the one-row write at c=10 against 54-63 %.
        with connection.cursor() as cursor:
            cursor.execute(
                """
                WITH rated AS (
                    UPDATE progress_learnercard
                    SET state = %s, stability = %s, difficulty = %s, due = %s,
                        last_review = %s, last_review_on = %s, reps = %s, lapses = %s
                    WHERE id = %s AND reps = %s
                    RETURNING id
                )
                INSERT INTO progress_cardreview (learner_card_id, rating, reviewed_at)
                SELECT id, %s, %s FROM rated
                """,
                [after.state, after.stability, after.difficulty, after.due, now,
                 after.last_review, after.reps, after.lapses, self.pk, self.reps, rating, now],
            )
            if cursor.rowcount != 1:
                return False
        self.state, self.stability, self.difficulty = after.state, after.stability, after.difficulty
        self.due, self.last_review, self.last_review_on = after.due, now, after.last_review
        self.reps, self.lapses = after.reps, after.lapses
        return True


class CardReview(models.Model):
    """One answer in a card session: how well the learner recalled the card, and when."""

    learner_card = models.ForeignKey(LearnerCard, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(choices=CardRating.choices)
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reviewed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=4), name="card_review_rating_valid"
            )
        ]

    def __str__(self):
        return f"{self.learner_card}: {self.get_rating_display()} at {self.reviewed_at}"


# Models kept in modules of their own, registered with the app here.
from progress.studylog import StudyLog  # noqa: E402, F401
