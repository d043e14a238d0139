"""Site-wide tables: the periodic scheduler's record of what it enqueued."""

from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    """One periodic task enqueued for one slot; the unique pair keeps it to once."""

    task_path = models.CharField(max_length=200)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(default=timezone.now)
    result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-slot", "task_path"]
        constraints = [
            models.UniqueConstraint(fields=["task_path", "slot"], name="scheduled_run_once")
        ]

    def __str__(self):
        return f"{self.task_path} for the slot at {self.slot:%Y-%m-%d %H:%M}"
