from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from poles.models import Department
from ptce_portal.names import NameFormField

from .models import Signature
from .services import SignatureData
from .validators import normalize_phone

NEW_POLE = "nouveau"


class SignatureForm(forms.Form):
    """The signature block of Annex 2, asking nothing twice: the signature line is the
    representative's first and last names, « Fait à » defaults to the pole's town, and the
    coordinates of an existing pole are filled from its page. `poles` are the poles the user
    may sign for (coordinated, proposed or claimed, from poles.selectors.poles_signable_by);
    `emails` the user's verified addresses."""

    pole = forms.ChoiceField(
        label=_("Pour quel pôle signez-vous ?"),
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _(
                "Vous ne pouvez pas signer pour ce pôle : choisissez-en un dans la liste."
            )
        },
    )
    new_pole_name = NameFormField(
        label=_("Intitulé du nouveau PTCE"),
        max_length=200,
        required=False,
        help_text=_(
            "Le pôle entrera dans l'annuaire après validation de la signature par l'équipe."
        ),
    )
    new_pole_department = forms.ModelChoiceField(
        label=_("Département du nouveau pôle"),
        queryset=Department.objects.order_by("code"),
        required=False,
        empty_label=_("Choisir un département"),
        help_text=_("Le département principal : il place le pôle sur la carte et dans sa région."),
    )
    pole_address = forms.CharField(
        label=_("Adresse du PTCE"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    pole_postcode = forms.CharField(
        label=_("Code postal"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    pole_town = forms.CharField(
        label=_("Commune"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    pole_website = forms.URLField(
        label=_("Site web du PTCE"),
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    representative_last_name = NameFormField(
        label=pgettext_lazy("family name", "Nom"), max_length=150, person=True
    )
    representative_first_name = NameFormField(label=_("Prénom"), max_length=150, person=True)
    representative_email = forms.EmailField(
        label=_("Courriel"),
        help_text=_("L'une de vos adresses e-mail vérifiées."),
    )
    representative_phone = forms.CharField(
        label=_("Téléphone"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    stage = forms.ChoiceField(
        label=_("Le pôle est"),
        choices=Signature.Stage.choices,
        widget=forms.RadioSelect,
    )
    commitment_build = forms.BooleanField(
        error_messages={"required": _("Cet engagement est nécessaire pour signer la charte.")},
    )
    commitment_community = forms.BooleanField(
        error_messages={"required": _("Cet engagement est nécessaire pour signer la charte.")},
    )
    place = forms.CharField(
        label=_("Fait à"),
        max_length=120,
        required=False,
        help_text=_("Laissé vide : la commune du pôle."),
    )
    consent_publication = forms.BooleanField(
        label=_(
            "J'accepte que la signature du pôle (nom du pôle, territoire, date, version) figure "
            "dans la liste publique des signataires et que mon nom apparaisse sur la page "
            "publique de vérification de la signature."
        ),
        required=False,
    )

    # Offered only after the new pole's address was not found, or the national address API
    # did not answer (offer_approximate).
    accept_approximate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def offer_approximate(self, *, chef_lieu: str) -> None:
        """The lookup failed: the person may place the pole at the chef-lieu meanwhile."""
        field = self.fields["accept_approximate"]
        field.widget = forms.CheckboxInput()
        field.label = _(
            "Placer le pôle au chef-lieu du département (%(chef_lieu)s) en attendant : l'équipe "
            "vérifiera l'adresse avec vous."
        ) % {"chef_lieu": chef_lieu or _("non renseigné")}
        self["accept_approximate"].label = field.label  # the bound field copied the old one

    def __init__(self, *args, poles, emails, version, signed_pole_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.poles = {str(pole.pk): pole for pole in poles}
        self.emails = {email.lower() for email in emails}
        choices = [(pk, self._pole_label(pole, signed_pole_ids)) for pk, pole in self.poles.items()]
        choices.append((NEW_POLE, _("Un nouveau pôle, qui n'est pas encore dans l'annuaire")))
        self.fields["pole"].choices = choices
        unsigned = [pk for pk, pole in self.poles.items() if pole.pk not in signed_pole_ids]
        self.fields["pole"].initial = unsigned[0] if len(unsigned) == 1 else None
        if not unsigned:
            self.fields["pole"].initial = NEW_POLE
        self.fields["commitment_build"].label = version.commitment_build
        self.fields["commitment_community"].label = version.commitment_community

    @staticmethod
    def _pole_label(pole, signed_pole_ids) -> str:
        if pole.pk in signed_pole_ids:
            return _("%(pole)s (a déjà signé cette version)") % {"pole": pole.name}
        if getattr(pole, "coordination_status", "approved") != "approved":
            return _(
                "%(pole)s (votre demande attend l'équipe : elle sera validée avec la signature)"
            ) % {"pole": pole.name}
        return pole.name

    def clean_representative_email(self):
        email = self.cleaned_data["representative_email"].strip()
        if email.lower() not in self.emails:
            raise forms.ValidationError(
                _(
                    "Indiquez l'une de vos adresses e-mail vérifiées (%(emails)s) : c'est à elle "
                    "que nous écrirons au sujet de cette signature."
                )
                % {"emails": ", ".join(sorted(self.emails))}
            )
        return email

    def clean_representative_phone(self):
        return normalize_phone(self.cleaned_data["representative_phone"])

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("pole")
        name = " ".join(cleaned.get("new_pole_name", "").split())
        if choice == NEW_POLE:
            if not name:
                self.add_error("new_pole_name", _("Indiquez l'intitulé du nouveau pôle."))
            if not cleaned.get("new_pole_department") and "new_pole_department" not in self.errors:
                self.add_error("new_pole_department", _("Indiquez le département du nouveau pôle."))
            cleaned["new_pole_name"] = name
            cleaned["pole_object"] = None
        elif choice:
            pole = self.poles[choice]
            cleaned["pole_object"] = pole
            cleaned["new_pole_name"] = ""
            cleaned["new_pole_department"] = None
            # What the person left empty is what the pole's page already says.
            for field in ("address", "postcode", "town", "website"):
                if not (cleaned.get(f"pole_{field}") or "").strip():
                    cleaned[f"pole_{field}"] = getattr(pole, field, "") or ""
        if not (cleaned.get("place") or "").strip():
            cleaned["place"] = (cleaned.get("pole_town") or "").strip()
            if not cleaned["place"] and "place" not in self.errors:
                self.add_error(
                    "place",
                    _("Indiquez où vous signez, ou la commune du pôle ci-dessus."),
                )
        return cleaned

    def chosen_pole_name(self) -> str:
        pole = self.cleaned_data.get("pole_object")
        return pole.name if pole else self.cleaned_data.get("new_pole_name", "")

    def new_pole_fields(self) -> dict:
        department = self.cleaned_data.get("new_pole_department")
        if self.cleaned_data.get("pole_object") or department is None:
            return {}
        c = self.cleaned_data
        return {
            "departments": [department],
            "address": c.get("pole_address", "").strip(),
            "postcode": c.get("pole_postcode", "").strip(),
            "town": c.get("pole_town", "").strip(),
            "website": c.get("pole_website", "").strip(),
            "accept_approximate": bool(c.get("accept_approximate")),
        }

    def signature_data(self) -> SignatureData:
        c = self.cleaned_data
        first, last = c["representative_first_name"].strip(), c["representative_last_name"].strip()
        return SignatureData(
            pole_address=c["pole_address"].strip(),
            pole_postcode=c["pole_postcode"].strip(),
            pole_town=c["pole_town"].strip(),
            pole_website=c["pole_website"].strip(),
            representative_last_name=c["representative_last_name"].strip(),
            representative_first_name=c["representative_first_name"].strip(),
            representative_email=c["representative_email"],
            representative_phone=c["representative_phone"],
            stage=c["stage"],
            commitment_build=c["commitment_build"],
            commitment_community=c["commitment_community"],
            place=c["place"].strip(),
            # The signature line is the name typed once above (the preview asks to confirm).
            signature_name=f"{first} {last}".strip(),
            consent_publication=c["consent_publication"],
        )


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Il est envoyé au signataire."),
    )


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du retrait"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "L'équipe du Labo de l'ESS le lit avant d'accepter le retrait ; le pôle reste "
            "signataire jusque-là."
        ),
        error_messages={
            "required": _(
                "Indiquez le motif du retrait : l'équipe du Labo de l'ESS le lit avant "
                "de l'accepter."
            )
        },
    )
