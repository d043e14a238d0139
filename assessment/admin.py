"""Read-only views of learners' assessments and roadmaps, for support questions."""

from django.contrib import admin

from assessment.models import Assessment, Roadmap, RoadmapEntry, RoadmapStage


class ReadOnlyAdmin(admin.ModelAdmin):
    """Learners own this data; staff may look but never edit it behind their backs."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = [
        "user", "taken_at", "goal", "linear_algebra", "calculus", "probability_statistics",
        "programming",
    ]
    list_filter = ["goal", "budget"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    date_hierarchy = "taken_at"


class RoadmapStageInline(admin.TabularInline):
    model = RoadmapStage
    fields = ["index", "area", "title"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Roadmap)
class RoadmapAdmin(ReadOnlyAdmin):
    list_display = ["user", "built_at", "starts_on", "weekly_hours"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    inlines = [RoadmapStageInline]


@admin.register(RoadmapEntry)
class RoadmapEntryAdmin(ReadOnlyAdmin):
    list_display = ["user", "resource", "stage", "position", "is_optional", "added_by_learner"]
    list_select_related = ["user", "resource", "stage"]
    list_filter = ["added_by_learner", "is_optional"]
    search_fields = ["user__email", "resource__slug"]
