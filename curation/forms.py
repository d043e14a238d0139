"""The learners' forms: report a problem, suggest a resource, rate a resource."""

from django import forms

from curation.models import Flag, FlagReason


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
