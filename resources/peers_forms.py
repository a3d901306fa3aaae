"""Forms of the peers' pages: the objectives a pole offers help on, an exchange request."""

from itertools import groupby

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ptce_portal import text_limits

from .peers_models import HELP_NOTE_MAX


class HelpOffersForm(forms.Form):
    """One checkbox and one short note per principal objective of the current version."""

    def __init__(self, *args, objectives, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = list(objectives)
        for objective in self.objectives:
            offer = offers.get(objective.pk)
            self.fields[f"offer_{objective.pk}"] = forms.BooleanField(
                label=f"{objective.code}. {objective.title}",
                required=False,
                initial=offer is not None,
            )
            self.fields[f"note_{objective.pk}"] = forms.CharField(
                label=_("Ce que vous partagez sur %(code)s (facultatif)")
                % {"code": objective.code},
                max_length=HELP_NOTE_MAX,
                required=False,
                initial=offer.note if offer else "",
                widget=forms.TextInput(
                    attrs={"placeholder": _("outils, visite, retours d'expérience…")}
                ),
            )

    def groups(self):
        """[(general objective, [(objective, checkbox, note)])] for the template."""
        rows = [(o, self[f"offer_{o.pk}"], self[f"note_{o.pk}"]) for o in self.objectives]
        return [
            (general, list(items)) for general, items in groupby(rows, key=lambda r: r[0].general)
        ]

    def offers(self) -> dict[int, str]:
        """{objective id: note} of the checked objectives."""
        return {
            o.pk: self.cleaned_data.get(f"note_{o.pk}", "")
            for o in self.objectives
            if self.cleaned_data.get(f"offer_{o.pk}")
        }


class ExchangeRequestForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Votre message"),
        max_length=text_limits.MESSAGE,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Présentez votre pôle et ce que vous aimeriez apprendre de lui sur cet objectif. "
            "Pas d'adresse e-mail ici : elles sont échangées automatiquement si le pôle accepte."
        ),
    )
