from django import forms
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


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail de la personne invitée"), max_length=254)
    name = NameFormField(label=_("Nom (facultatif)"), max_length=200, required=False, person=True)
    category = forms.ChoiceField(
        label=_("Catégorie"),
        choices=Invitation.CATEGORY_CHOICES,
        help_text=_("Les catégories de membres de l'article 9 ; la personne pourra la corriger."),
    )
    organisation = NameFormField(label=_("Structure (facultatif)"), max_length=200, required=False)


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
