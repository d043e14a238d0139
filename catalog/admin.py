"""The curators' admin: find, edit, publish and verify catalogue resources."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import ngettext

from catalog.models import (
    Concept,
    ConceptLocation,
    Domain,
    Exercise,
    RecallCard,
    Resource,
    Style,
)


def _update(queryset, **fields) -> int:
    return queryset.update(**fields, updated_at=timezone.now())


class StyleListFilter(admin.SimpleListFilter):
    title = "learning style"
    parameter_name = "style"

    def lookups(self, request, model_admin):
        return Style.choices

    def queryset(self, request, queryset):
        if self.value() in Style.values:
            return queryset.filter(styles__contains=[self.value()])
        return queryset


class PrerequisiteCycleCheck:
    """Refuse prerequisites that would make a cycle (the model says why)."""

    def clean(self):
        cleaned_data = super().clean()
        prerequisites = cleaned_data.get("prerequisites")
        if prerequisites is not None:
            for message in self.instance.prerequisite_errors(prerequisites):
                self.add_error("prerequisites", message)
        return cleaned_data


class ResourceAdminForm(PrerequisiteCycleCheck, forms.ModelForm):
    styles = forms.MultipleChoiceField(
        label="Learning styles",
        choices=Style.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "slug",
            "provider",
            "url",
            "published",
            "format",
            "level",
            "domains",
            "styles",
            "estimated_hours",
            "cost",
            "price_usd",
            "summary",
            "how_to_use",
            "prerequisites",
            "is_reference",
            "approach",
            "optimisation_focused",
            "last_verified",
        ]


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = ResourceAdminForm
    # Few enough columns for 1280 px without scrolling; format and cost are filters.
    list_display = ["title", "provider", "level", "published", "last_verified"]
    list_editable = ["level", "published"]
    list_filter = [
        "domains",
        "level",
        "cost",
        "format",
        StyleListFilter,
        "published",
        "is_reference",
        "beyond_guide",
    ]
    search_fields = ["title", "provider", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["domains", "prerequisites"]
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50
    actions = ["publish", "unpublish", "mark_verified_today"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "provider", "url", "published"]}),
        (
            "What it is",
            {"fields": ["format", "level", "domains", "styles", "estimated_hours"]},
        ),
        ("Cost", {"fields": ["cost", "price_usd"]}),
        ("For learners", {"fields": ["summary", "how_to_use", "prerequisites"]}),
        (
            "How it fits a roadmap",
            {"fields": ["is_reference", "approach", "optimisation_focused"]},
        ),
        ("Freshness", {"fields": ["last_verified", "created_at", "updated_at"]}),
    ]

    @admin.action(description="Publish selected resources")
    def publish(self, request, queryset):
        count = _update(queryset, published=True)
        self.message_user(
            request,
            ngettext("%d resource published.", "%d resources published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description="Unpublish selected resources")
    def unpublish(self, request, queryset):
        count = _update(queryset, published=False)
        self.message_user(
            request,
            ngettext(
                "%d resource unpublished: it is hidden from the public catalogue.",
                "%d resources unpublished: they are hidden from the public catalogue.",
                count,
            )
            % count,
            messages.SUCCESS,
        )

    @admin.action(description="Mark selected resources as verified today")
    def mark_verified_today(self, request, queryset):
        today = timezone.localdate()
        count = _update(queryset, last_verified=today)
        self.message_user(
            request,
            ngettext(
                "%(count)d resource marked as verified on %(date)s.",
                "%(count)d resources marked as verified on %(date)s.",
                count,
            )
            % {"count": count, "date": today.isoformat()},
            messages.SUCCESS,
        )


class ConceptAdminForm(PrerequisiteCycleCheck, forms.ModelForm):
    class Meta:
        model = Concept
        fields = [
            "title",
            "slug",
            "domain",
            "level",
            "position",
            "published",
            "why",
            "prerequisites",
        ]


class ConceptLocationInline(admin.TabularInline):
    model = ConceptLocation
    fields = ["resource", "where"]
    autocomplete_fields = ["resource"]
    extra = 0


class RecallCardInline(admin.StackedInline):
    model = RecallCard
    fields = ["key", "kind", "position", "prompt", "answer"]
    extra = 0


class ExerciseInline(admin.StackedInline):
    model = Exercise
    fields = ["title", "task", "starter", "solution", "checks", "break_it"]
    extra = 0


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    form = ConceptAdminForm
    list_display = ["title", "domain", "level", "position", "published"]
    list_editable = ["position", "published"]
    list_filter = ["domain", "level", "published"]
    search_fields = ["title", "slug", "why"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["prerequisites"]
    inlines = [ConceptLocationInline, RecallCardInline, ExerciseInline]
    list_select_related = ["domain"]


@admin.register(RecallCard)
class RecallCardAdmin(admin.ModelAdmin):
    list_display = ["key", "concept", "kind", "position"]
    list_filter = ["kind", "concept__domain"]
    search_fields = ["key", "prompt", "answer", "concept__title"]
    list_select_related = ["concept"]
    autocomplete_fields = ["concept"]
