import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from ptce_portal.names import NameFormField

from .models import Invitation


class AssessmentOpenForm(forms.Form):
    pole = forms.ModelChoiceField(queryset=None, label=_("Pôle"), empty_label=None)
    title = forms.CharField(
        label=_("Intitulé (facultatif)"),
        max_length=200,
        required=False,
        help_text=_("Par exemple « Auto-évaluation 2015 » ; sinon le mois en cours."),
    )

    def __init__(self, *args, poles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pole"].queryset = poles


MAX_INVITATIONS_AT_ONCE = 50
# "Prénom Nom <adresse>" or a bare address.
_NAMED_ADDRESS = re.compile(r"^(?P<name>[^<>]*?)\s*<\s*(?P<email>[^<>\s]+)\s*>$")


class InvitationForm(forms.Form):
    emails = forms.CharField(
        label=_("Adresses e-mail des personnes invitées, une par ligne"),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "« nom@exemple.org », ou « Prénom Nom <nom@exemple.org> » pour que l'e-mail salue "
            "la personne par son nom. 50 adresses au plus."
        ),
    )
    category = forms.ChoiceField(
        label=_("Catégorie"),
        choices=Invitation.CATEGORY_CHOICES,
        help_text=_(
            "Les catégories de membres de l'article 9 ; chaque personne pourra corriger la sienne."
        ),
    )
    organisation = NameFormField(label=_("Structure (facultatif)"), max_length=200, required=False)

    def clean_emails(self) -> list[tuple[str, str]]:
        """[(address, name)] in the order typed, each address once."""
        people: dict[str, str] = {}
        errors = []
        name_field = NameFormField(max_length=200, required=False, person=True)
        lines = [line.strip() for line in self.cleaned_data["emails"].splitlines()]
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            match = _NAMED_ADDRESS.match(line)
            raw_name, raw_email = (
                (match["name"].strip().strip('"'), match["email"]) if match else ("", line)
            )
            try:
                validate_email(raw_email)
                name = name_field.clean(raw_name)
            except ValidationError as exc:
                errors.append(
                    _("Ligne %(n)s (« %(line)s ») : %(reason)s")
                    % {"n": number, "line": line[:80], "reason": " ".join(exc.messages)}
                )
                continue
            people.setdefault(raw_email.lower(), name)
        if errors:
            raise ValidationError(errors)
        if not people:
            raise ValidationError(_("Indiquez au moins une adresse e-mail."))
        if len(people) > MAX_INVITATIONS_AT_ONCE:
            raise ValidationError(
                _("%(n)s adresses : invitez-en %(max)s au plus à la fois.")
                % {"n": len(people), "max": MAX_INVITATIONS_AT_ONCE}
            )
        return list(people.items())


class RespondentProfileForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Vous répondez en tant que"), choices=Invitation.CATEGORY_CHOICES
    )
    organisation = NameFormField(
        label=_("Votre structure (facultatif)"), max_length=200, required=False
    )


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "Je confirme la clôture : plus personne ne pourra répondre ni modifier ses réponses."
        ),
        required=True,
    )


class ReferentialImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier YAML ou CSV (UTF-8)"),
        help_text=_(
            "3 objectifs généraux × 3 objectifs principaux × 4 indicateurs = 36 questions."
        ),
    )
    code = forms.SlugField(
        label=_("Code de la version"),
        required=False,
        help_text=_("Obligatoire pour un CSV ; remplace celui du YAML s'il est rempli."),
    )
    title = forms.CharField(label=_("Intitulé de la version"), max_length=200, required=False)
    publish = forms.BooleanField(label=_("Publier immédiatement"), required=False)
