from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from ptce_portal.images import LOGO, PHOTO, PictureField

from .models import PROFILE_FIELDS, Department, Pole, PoleMember, Theme


class ClaimForm(forms.Form):
    message = forms.CharField(
        label=_("Votre rôle dans le pôle"),
        help_text=_(
            "Quelques mots pour que l'équipe du Labo de l'ESS puisse valider votre demande."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


def _departments_field(**kwargs) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Département(s)"),
        queryset=Department.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        **kwargs,
    )


def _themes_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ProposeForm(forms.ModelForm):
    departments = _departments_field(
        help_text=_(
            "Ctrl (ou Cmd) + clic pour en choisir plusieurs. Le premier sert à placer le pôle "
            "sur la carte si l'adresse est inconnue."
        ),
    )
    themes = _themes_field()
    message = forms.CharField(
        label=_("Votre rôle dans le pôle"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    # Offered only after the address or town was not found (offer_approximate).
    accept_approximate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def offer_approximate(self, *, chef_lieu: str) -> None:
        """The address was not found: let the person place the pole at the chef-lieu."""
        field = self.fields["accept_approximate"]
        field.widget = forms.CheckboxInput()
        field.label = _(
            "Placer quand même le pôle au chef-lieu de son département (%(chef_lieu)s) ; "
            "l'adresse pourra être corrigée ensuite."
        ) % {"chef_lieu": chef_lieu or _("non renseigné")}
        self["accept_approximate"].label = field.label  # the bound field copied the old one

    # Offered only when a published or pending pole has the same name (offer_same_name).
    same_name_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def offer_same_name(self) -> None:
        """A pole of that name exists: the person says it is another one to go on."""
        field = self.fields["same_name_confirmed"]
        field.widget = forms.CheckboxInput()
        field.label = _("C'est un autre pôle : le proposer quand même.")
        self["same_name_confirmed"].label = field.label

    class Meta:
        model = Pole
        fields = [
            "name",
            "carrier_structure",
            "short_description",
            "website",
            "address",
            "postcode",
            "town",
            "maturity",
        ]


class PoleProfileForm(forms.ModelForm):
    departments = _departments_field()
    themes = _themes_field()

    class Meta:
        model = Pole
        fields = PROFILE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}


MemberFormSet = inlineformset_factory(
    Pole,
    PoleMember,
    fields=["name", "category", "town", "website"],
    extra=3,
    can_delete=True,
    max_num=300,
    validate_max=True,
    # A forged membres-TOTAL_FORMS is capped here, not at Django's default of max_num + 1000
    # (building 1,300 forms took seconds per request).
    absolute_max=300,
)


def members_from_formset(formset) -> list[dict]:
    members = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or not data.get("name"):
            continue
        members.append(
            {
                "name": data["name"].strip(),
                "category": data["category"],
                "town": data.get("town", ""),
                "website": data.get("website", ""),
            }
        )
    return members


class DecisionForm(forms.Form):
    """A regional moderator's answer to a coordinator request or a pole edit: the submit button
    carries `action` (accept or refuse); a refusal needs its reason, sent to the person."""

    ACCEPT, REFUSE = "accept", "refuse"

    action = forms.ChoiceField(
        choices=[(ACCEPT, _("Accepter")), (REFUSE, _("Refuser"))],
        error_messages={
            "required": _("Choisissez « Accepter » ou « Refuser »."),
            "invalid_choice": _("Choisissez « Accepter » ou « Refuser »."),
        },
    )
    reason = forms.CharField(
        label=_("Motif du refus (envoyé à la personne)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        error_messages={"max_length": _("Le motif tient en 2 000 signes au plus.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REFUSE and not data.get("reason"):
            self.add_error("reason", _("Indiquez le motif du refus : il est envoyé à la personne."))
        return data

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["action"] == self.ACCEPT


class PolePictureForm(forms.Form):
    """The pole's logo or photo (one form per kind on the pictures page, prefixed by it)."""

    def __init__(self, *args, kind: str, pole: Pole, **kwargs):
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        current = getattr(pole, kind)
        self.fields["image"] = PictureField(
            kind=LOGO if kind == "logo" else PHOTO,
            label=_("Logo du pôle") if kind == "logo" else _("Photo du pôle"),
            required=not current,
        )
        self.fields["image"].stem = pole.slug
        self.fields["alt"] = forms.CharField(
            label=_("Texte alternatif"),
            max_length=200 if kind == "logo" else 300,
            help_text=(
                _("Ce que montre le logo, par exemple « Logo de l'association X ».")
                if kind == "logo"
                else _(
                    "Ce que montre la photo, en une phrase : elle est lue à la place de l'image "
                    "par les lecteurs d'écran."
                )
            ),
            initial=getattr(pole, f"{kind}_alt"),
        )
