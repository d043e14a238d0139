"""A learner's roadmap as the pages show it: entries with their progress, projected dates.

Skips and dates are no longer stored on entries, stages or the roadmap: they are drawn from
the learner's progress each time, so tests read them the way the pages do.
"""

from assessment.models import Roadmap, RoadmapEntry


def entry_as_shown(entry: RoadmapEntry) -> RoadmapEntry:
    """The entry again, with the learner's progress on it (skipped, skip_reason)."""
    return entry.user.roadmap_entries.for_roadmap_page().get(pk=entry.pk)


def scheduled_stages(roadmap: Roadmap) -> list:
    """The roadmap's stages with their weeks and dates, and its finish, as shown today."""
    stages = list(roadmap.stages.all())
    roadmap.schedule(stages, list(roadmap.user.roadmap_entries.for_roadmap_page()))
    return stages


def projected_finish(roadmap: Roadmap):
    """The roadmap's projected finish, drawn as the roadmap page draws it."""
    scheduled_stages(roadmap)
    return roadmap.finishes_on
