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
    """The signature block of Annex 2. `poles` are the poles the user coordinates and
    may still sign for; `emails` the user's verified addresses."""

    pole = forms.ChoiceField(
        label=_("Pour quel pôle signez-vous ?"),
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Vous ne coordonnez pas ce pôle : choisissez-en un dans la liste.")
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
    new_pole_town = forms.CharField(
        label=_("Commune du nouveau pôle"), max_length=120, required=False
    )
    pole_contact = forms.CharField(
        label=_("Coordonnées du PTCE"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Adresse postale, site web…"),
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
    place = forms.CharField(label=_("Fait à"), max_length=120)
    signature_name = NameFormField(
        person=True,
        label=_("Signature : votre nom complet"),
        max_length=200,
        help_text=_("Saisir votre prénom et votre nom vaut signature au nom du pôle."),
    )
    consent_publication = forms.BooleanField(
        label=_(
            "J'accepte que la signature du pôle (nom du pôle, territoire, date, version) figure "
            "dans la liste publique des signataires et que mon nom apparaisse sur la page "
            "publique de vérification de la signature."
        ),
        required=False,
    )

    def __init__(self, *args, poles, emails, version, signed_pole_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.poles = {str(pole.pk): pole for pole in poles}
        self.emails = {email.lower() for email in emails}
        choices = [
            (
                pk,
                _("%(pole)s (a déjà signé cette version)") % {"pole": pole.name}
                if pole.pk in signed_pole_ids
                else pole.name,
            )
            for pk, pole in self.poles.items()
        ]
        choices.append((NEW_POLE, _("Un nouveau pôle, qui n'est pas encore dans l'annuaire")))
        self.fields["pole"].choices = choices
        unsigned = [pk for pk, pole in self.poles.items() if pole.pk not in signed_pole_ids]
        self.fields["pole"].initial = unsigned[0] if len(unsigned) == 1 else None
        if not unsigned:
            self.fields["pole"].initial = NEW_POLE
        self.fields["commitment_build"].label = version.commitment_build
        self.fields["commitment_community"].label = version.commitment_community

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
            cleaned["pole_object"] = self.poles[choice]
            cleaned["new_pole_name"] = ""
            cleaned["new_pole_department"] = None
            cleaned["new_pole_town"] = ""
        return cleaned

    def chosen_pole_name(self) -> str:
        pole = self.cleaned_data.get("pole_object")
        return pole.name if pole else self.cleaned_data.get("new_pole_name", "")

    def new_pole_fields(self) -> dict:
        department = self.cleaned_data.get("new_pole_department")
        if self.cleaned_data.get("pole_object") or department is None:
            return {}
        return {
            "departments": [department],
            "town": self.cleaned_data.get("new_pole_town", "").strip(),
        }

    def signature_data(self) -> SignatureData:
        c = self.cleaned_data
        return SignatureData(
            pole_contact=c["pole_contact"].strip(),
            representative_last_name=c["representative_last_name"].strip(),
            representative_first_name=c["representative_first_name"].strip(),
            representative_email=c["representative_email"],
            representative_phone=c["representative_phone"],
            stage=c["stage"],
            commitment_build=c["commitment_build"],
            commitment_community=c["commitment_community"],
            place=c["place"].strip(),
            signature_name=c["signature_name"].strip(),
            consent_publication=c["consent_publication"],
        )


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Il est envoyé au signataire."),
    )
