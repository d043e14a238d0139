"""Tasks for the scheduler tests (a task must live at a module's top level)."""

from django.tasks import task


@task
def tick():
    return "tick"


@task
def tock():
    return "tock"
