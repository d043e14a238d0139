from django.contrib import admin

from mathpath.models import ScheduledRun


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ["task_path", "slot", "enqueued_at", "result_id"]
    list_filter = ["task_path"]
    date_hierarchy = "slot"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
