"""The curators' side: link health on the resource admin, reports and suggestions to review."""

from django import forms
from django.contrib import admin, messages
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import ngettext

from catalog.admin import ResourceAdmin
from catalog.models import Resource
from curation.linkcheck import Verdict
from curation.models import (
    Flag,
    FlagStatus,
    LinkCheck,
    Suggestion,
    SuggestionStatus,
    accept_new_urls,
    open_flag_count,
    with_link_health,
    with_open_flags,
)

HISTORY_ROWS = 20


class NeedsAttentionFilter(admin.SimpleListFilter):
    title = "link health"
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return [("attention", "Needs attention"), ("ok", "OK"), ("unchecked", "Not checked yet")]

    def queryset(self, request, queryset):
        if self.value() == "attention":
            return queryset.filter(
                Q(link_verdict__isnull=False) & ~Q(link_verdict=Verdict.OK) | Q(open_flags__gt=0)
            )
        if self.value() == "ok":
            return queryset.filter(link_verdict=Verdict.OK)
        if self.value() == "unchecked":
            return queryset.filter(link_verdict__isnull=True)
        return queryset


class CuratedResourceAdmin(ResourceAdmin):
    """The catalogue's resource admin with the link checker's findings beside each resource."""

    readonly_fields = [*ResourceAdmin.readonly_fields, "check_history"]
    fieldsets = [
        *ResourceAdmin.fieldsets,
        ("Link health", {"fields": ["check_history"]}),
    ]
    list_filter = [NeedsAttentionFilter, *ResourceAdmin.list_filter]
    actions = [*ResourceAdmin.actions, "accept_new_url"]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "link_health", "open_reports"]

    def get_queryset(self, request):
        return with_open_flags(with_link_health(super().get_queryset(request)))

    @admin.display(description="Open reports", ordering="open_flags")
    def open_reports(self, resource):
        return resource.open_flags

    @admin.display(description="Link health", ordering="link_verdict")
    def link_health(self, resource):
        if resource.link_verdict is None:
            return "Not checked yet"
        label = dict(Verdict.CHOICES)[resource.link_verdict]
        status = f" ({resource.link_status})" if resource.link_status else ""
        if resource.link_verdict in (Verdict.MOVED, Verdict.REDIRECTED, Verdict.PAYWALLED):
            return f"{label}{status} → {resource.link_final_url}"
        return f"{label}{status}"

    @admin.display(description="Check history")
    def check_history(self, resource):
        """The last checks, newest first, as a table (shown, never edited: a formset would
        make every existing admin form post carry its management data)."""
        checks = resource.link_checks.all()[:HISTORY_ROWS] if resource.pk else []
        if not checks:
            return "Not checked yet. Run manage.py check_links --slug " + (resource.slug or "…")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    check.checked_at.strftime("%Y-%m-%d %H:%M"),
                    check.get_verdict_display(),
                    check.status_code or "—",
                    check.final_url or "—",
                    " → ".join(f"{hop['status']} {hop['url']}" for hop in check.redirects)
                    or check.error
                    or "—",
                )
                for check in checks
            ),
        )
        return format_html(
            "<table><thead><tr><th scope='col'>Checked</th><th scope='col'>Verdict</th>"
            "<th scope='col'>Status</th><th scope='col'>Final URL</th>"
            "<th scope='col'>Redirects or error</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.action(description="Accept the new URL of resources that moved permanently")
    def accept_new_url(self, request, queryset):
        count = accept_new_urls(queryset, timezone.localdate())
        skipped = queryset.count() - count
        message = ngettext(
            "%d resource now points at its new URL.",
            "%d resources now point at their new URLs.",
            count,
        ) % count
        if skipped:
            message += f" {skipped} left as they were: their link did not move permanently."
        self.message_user(request, message, messages.SUCCESS if count else messages.WARNING)


admin.site.unregister(Resource)
admin.site.register(Resource, CuratedResourceAdmin)


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    list_display = ["resource", "checked_at", "verdict", "status_code", "final_url"]
    list_filter = ["verdict"]
    search_fields = ["resource__title", "url", "final_url"]
    list_select_related = ["resource"]
    date_hierarchy = "checked_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False



class FlagAdminForm(forms.ModelForm):
    class Meta:
        model = Flag
        fields = ["status", "curator_note"]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("status") != FlagStatus.OPEN and not cleaned_data.get("curator_note"):
            self.add_error("curator_note", "Write the learner a note when you close a report.")
        return cleaned_data


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    """Learners' reports: open ones first, with how many a resource has and its link health."""

    form = FlagAdminForm
    list_display = [
        "resource", "reason", "status", "created_at", "user", "reports_on_resource", "link_health"
    ]
    list_filter = ["status", "reason"]
    search_fields = ["resource__title", "text", "user__email"]
    list_select_related = ["resource", "user"]
    fields = [
        "resource", "user", "reason", "text", "created_at", "status", "curator_note", "closed_at"
    ]
    readonly_fields = ["resource", "user", "reason", "text", "created_at", "closed_at"]
    actions = ["resolve", "dismiss"]

    def has_add_permission(self, request):
        return False  # learners write reports; curators answer them

    def get_queryset(self, request):
        latest = LinkCheck.objects.filter(resource=OuterRef("resource")).order_by(
            "-checked_at", "-pk"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                resource_open_flags=open_flag_count(OuterRef("resource")),
                resource_verdict=Subquery(latest.values("verdict")[:1]),
                resource_status=Subquery(latest.values("status_code")[:1]),
            )
        )

    @admin.display(description="Open reports on the resource", ordering="resource_open_flags")
    def reports_on_resource(self, flag):
        return flag.resource_open_flags

    @admin.display(description="Link health", ordering="resource_verdict")
    def link_health(self, flag):
        if flag.resource_verdict is None:
            return "Not checked yet"
        status = f" ({flag.resource_status})" if flag.resource_status else ""
        return f"{dict(Verdict.CHOICES)[flag.resource_verdict]}{status}"

    def save_model(self, request, obj, form, change):
        obj.close(form.cleaned_data["status"], form.cleaned_data["curator_note"])

    def _close_selected(self, request, queryset, status, verb):
        closed = 0
        for flag in queryset.filter(status=FlagStatus.OPEN):
            flag.close(status, flag.curator_note or DEFAULT_NOTES[status])
            closed += 1
        self.message_user(
            request,
            ngettext("%d report %s.", "%d reports %s.", closed) % (closed, verb),
            messages.SUCCESS,
        )

    @admin.action(description="Resolve the selected reports (the learner sees your note)")
    def resolve(self, request, queryset):
        self._close_selected(request, queryset, FlagStatus.RESOLVED, "resolved")

    @admin.action(description="Dismiss the selected reports (the learner sees your note)")
    def dismiss(self, request, queryset):
        self._close_selected(request, queryset, FlagStatus.DISMISSED, "dismissed")


# What a learner reads when a report is closed in bulk without a note of its own.
DEFAULT_NOTES = {
    FlagStatus.RESOLVED: "Thank you: the curators fixed this.",
    FlagStatus.DISMISSED: "The curators looked and found nothing to change.",
}


class SuggestionAdminForm(forms.ModelForm):
    class Meta:
        model = Suggestion
        fields = ["status", "reason"]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("status") == SuggestionStatus.REJECTED and not cleaned_data.get(
            "reason"
        ):
            self.add_error("reason", "Tell the learner why it is not added.")
        return cleaned_data


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """Learners' suggestions: approve into a draft resource, or reject with a reason."""

    form = SuggestionAdminForm
    list_display = ["title", "url", "area", "level", "cost", "status", "created_at", "user"]
    list_filter = ["status", "area", "level"]
    search_fields = ["title", "url", "why"]
    list_select_related = ["area", "user"]
    fields = [
        "title", "url", "area", "level", "cost", "why", "user", "created_at",
        "status", "reason", "resource", "reviewed_at",
    ]
    readonly_fields = [
        "title", "url", "area", "level", "cost", "why", "user", "created_at", "resource",
        "reviewed_at",
    ]
    actions = ["approve"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        status = form.cleaned_data["status"]
        if status == SuggestionStatus.APPROVED and obj.resource_id is None:
            obj.approve()
        elif status == SuggestionStatus.REJECTED:
            obj.reject(form.cleaned_data["reason"])
        else:
            obj.save()

    @admin.action(description="Approve: make a draft resource from each")
    def approve(self, request, queryset):
        drafts = [s.approve() for s in queryset.filter(status=SuggestionStatus.PENDING)]
        self.message_user(
            request,
            ngettext(
                "%d draft resource made; finish and publish it in Resources.",
                "%d draft resources made; finish and publish them in Resources.",
                len(drafts),
            )
            % len(drafts),
            messages.SUCCESS,
        )
