"""The public page's filter: a year and a region (a plain GET form; the choices are the years
with accepted reports and the current regions)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ObservatoryFilter(forms.Form):
    annee = forms.TypedChoiceField(label=_("Année"), coerce=int, required=False)
    region = forms.ChoiceField(label=_("Région"), required=False)

    def __init__(self, data, *, years: list[int], regions: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["annee"].choices = [(year, str(year)) for year in reversed(years)]
        self.fields["region"].choices = [("", _("France entière")), *regions]
