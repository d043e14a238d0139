"""The learners' forms: report a problem, suggest a resource, rate a resource."""

from django import forms

from catalog.models import Domain, Resource
from curation.models import (
    Difficulty,
    Flag,
    FlagReason,
    PublicCard,
    Rating,
    Suggestion,
    SuggestionStatus,
    existing_with_url,
)


class FlagForm(forms.ModelForm):
    reason = forms.ChoiceField(
        label="What is wrong?", choices=FlagReason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label="Details (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you saw, in a sentence or two. At most 500 characters.",
    )

    class Meta:
        model = Flag
        fields = ["reason", "text"]


class SuggestionForm(forms.ModelForm):
    """title, url, area, level, cost, why; a URL the catalogue already has is refused."""

    area = forms.ModelChoiceField(
        label="Area", queryset=Domain.objects.all(), empty_label="Choose an area"
    )

    class Meta:
        model = Suggestion
        fields = ["title", "url", "area", "level", "cost", "why"]
        labels = {"why": "Why it belongs in the catalogue", "url": "Address (URL)"}
        widgets = {"why": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = None  # the resource a refused URL already belongs to

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Only http(s) links can be suggested.")
        self.existing = existing_with_url(Resource, url)
        if self.existing is not None:
            raise forms.ValidationError("The catalogue already has this resource.")
        if existing_with_url(Suggestion.objects.filter(status=SuggestionStatus.PENDING), url):
            raise forms.ValidationError(
                "Somebody already suggested this address; the curators will look at it."
            )
        return url


class RatingForm(forms.ModelForm):
    usefulness = forms.TypedChoiceField(
        label="How useful was it?",
        choices=[(n, f"{n} of 5") for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    difficulty = forms.ChoiceField(
        label="Compared to the level shown, it was…",
        choices=Difficulty.choices,
        widget=forms.RadioSelect,
    )
    actual_hours = forms.IntegerField(
        label="Hours it actually took you (optional)",
        min_value=1,
        max_value=2000,
        required=False,
    )

    class Meta:
        model = Rating
        fields = ["usefulness", "difficulty", "actual_hours"]


class PublicCardForm(forms.ModelForm):
    class Meta:
        model = PublicCard
        fields = ["enabled", "handle", "allow_indexing"]

    def clean_handle(self):
        handle = self.cleaned_data["handle"].strip().lower()
        taken = PublicCard.objects.filter(handle=handle).exclude(user=self.instance.user_id)
        if taken.exists():
            raise forms.ValidationError("That handle is taken; choose another.")
        return handle
