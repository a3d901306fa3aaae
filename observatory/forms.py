from django import forms
from django.utils.translation import gettext_lazy as _

from poles.models import Theme

from . import selectors
from .models import FIGURES, REQUIRED_FIELDS, Band, Campaign, Report
from .services import CONSENT_FIELDS, FIGURE_FIELDS


class ReportForm(forms.ModelForm):
    """A pole's report. The required markers show what submitting needs; a draft (saved or
    autosaved) may leave them empty (`draft=True`), never hold a bad value."""

    class Meta:
        model = Report
        fields = [*FIGURE_FIELDS, "themes", *CONSENT_FIELDS]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "territory_kind": forms.RadioSelect,
            "territory_names": forms.Textarea(attrs={"rows": 4}),
        }

    # The browser's own check would keep a draft with empty figures from being saved.
    use_required_attribute = False

    def __init__(self, *args, campaign: Campaign, draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft
        self.fields["turnover_band"].queryset = selectors.bands(campaign, Band.Kind.TURNOVER)
        self.fields["budget_band"].queryset = selectors.bands(campaign, Band.Kind.BUDGET)
        self.fields["themes"].queryset = Theme.objects.order_by("position", "name")
        # French decimals (« 12,5 »): a text input with a decimal keypad, read localised.
        fte = self.fields["jobs_fte"]
        fte.localize = True
        fte.widget = forms.TextInput(attrs={"inputmode": "decimal"})
        fte.widget.is_localized = True
        self.fields["territory_kind"].choices = [
            choice for choice in Report.TerritoryKind.choices if choice[0]
        ]
        for name in REQUIRED_FIELDS:
            self.fields[name].required = True
        for name in ("turnover_band", "budget_band"):
            self.fields[name].empty_label = _("— choisir une tranche —")
        for name in CONSENT_FIELDS:
            self.fields[name].label = _("Publier sous le nom du pôle")
        questions = selectors.questions(campaign)
        self.sections = []
        for figure in FIGURES:
            question = questions.get(figure.code)
            self.sections.append(
                {
                    "code": figure.code,
                    "question": question,
                    "fields": [self[name] for name in figure.fields],
                    "consent": self[figure.consent_field],
                }
            )

    def full_clean(self):
        super().full_clean()
        if self.draft and self.is_bound:
            # A draft may leave a figure empty: only the "required" errors go.
            for name in list(self._errors):
                if name not in self.fields:
                    continue
                kept = [e for e in self._errors[name].as_data() if e.code != "required"]
                if kept:
                    self._errors[name] = self.error_class(
                        [message for e in kept for message in e.messages]
                    )
                else:
                    del self._errors[name]
                    self.cleaned_data.setdefault(name, None)

    def values(self) -> dict:
        data = self.cleaned_data
        values = {}
        for name in (*FIGURE_FIELDS, *CONSENT_FIELDS):
            value = data.get(name)
            if name in ("territory_kind", "territory_names"):
                value = value or ""
            values[name] = value
        return values


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du renvoi"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Envoyé aux coordinateurs du pôle : dites ce qu'il faut corriger."),
    )


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["year", "opens_on", "closes_on"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
