"""Read-only views of learners' assessments and roadmaps, for support questions."""

from django.contrib import admin

from assessment.models import Assessment, Roadmap, RoadmapEntry, RoadmapStage


class ReadOnlyAdmin(admin.ModelAdmin):
    """Learners own this data; staff may look but never edit it behind their backs."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # Staff may delete (a support request, a user's removal cascades here), and the learner's
    # cached pages must then be drawn again (mathpath/pagecache.py).
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        obj.user.pages_changed()

    def delete_queryset(self, request, queryset):
        users = {obj.user for obj in queryset.select_related("user")}
        super().delete_queryset(request, queryset)
        for user in users:
            user.pages_changed()


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
    fields = ["index", "title", "weeks", "starts_on", "finishes_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Roadmap)
class RoadmapAdmin(ReadOnlyAdmin):
    list_display = ["user", "built_at", "starts_on", "finishes_on", "weekly_hours"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    inlines = [RoadmapStageInline]


@admin.register(RoadmapEntry)
class RoadmapEntryAdmin(ReadOnlyAdmin):
    list_display = ["user", "resource", "stage", "position", "is_optional", "skipped"]
    list_select_related = ["user", "resource", "stage"]
    list_filter = ["skipped", "added_by_learner", "is_optional"]
    search_fields = ["user__email", "resource__slug"]
