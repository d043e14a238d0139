"""The public catalogue's filter form, bound to the query string."""

from django import forms

from catalog.models import Format, Level, Style


class CatalogFilterForm(forms.Form):
    """Every filter is optional; a value the form doesn't know is reported, not fatal."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    domain = forms.ChoiceField(label="Domain", required=False)
    level = forms.ChoiceField(label="Level", required=False, choices=[("", "Any level")])
    format = forms.ChoiceField(label="Format", required=False, choices=[("", "Any format")])
    style = forms.ChoiceField(label="Learning style", required=False)
    cost = forms.ChoiceField(
        label="Cost",
        required=False,
        choices=[("", "Free or paid"), ("free", "Free only")],
    )

    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("", "Level, beginner first"), ("title", "Title"),
                 ("hours", "Hours, fewest first"), ("newest", "Newest")],
    )

    def __init__(self, data, *, domains):
        super().__init__(data)
        self.fields["domain"].choices = [("", "Any domain")] + [(d.slug, d.name) for d in domains]
        self.fields["level"].choices += Level.choices
        self.fields["format"].choices += Format.choices
        self.fields["style"].choices = [("", "Any style"), *Style.choices]

    def filters(self):
        """The valid filters as a dict; invalid ones are left out (and shown as errors)."""
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if value and name not in self.errors
        }
