from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from poles.models import Pole
from ptce_portal.names import NameFormField

from .models import Registration


class RegistrationForm(forms.Form):
    first_name = NameFormField(
        person=True,
        label=_("Prénom"),
        max_length=100,
        error_messages={"required": _("Indiquez votre prénom.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = NameFormField(
        person=True,
        label=pgettext_lazy("family name", "Nom"),
        max_length=100,
        error_messages={"required": _("Indiquez votre nom.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_(
            "Nous vous y écrirons pour confirmer l'inscription : votre place n'est réservée "
            "qu'après cette confirmation (immédiate si vous êtes connecté·e avec cette adresse)."
        ),
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _(
                "Cette adresse e-mail n'est pas valide : vérifiez-la (exemple : "
                "prenom.nom@exemple.fr)."
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = NameFormField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    category = forms.ChoiceField(
        label=_("Vous venez en tant que"),
        choices=[("", _("— choisir —")), *Registration.Category.choices],
        error_messages={
            "required": _("Choisissez une catégorie."),
            "invalid_choice": _("Choisissez une catégorie de la liste."),
        },
    )
    pole = forms.ModelChoiceField(
        label=_("Votre pôle (facultatif)"),
        queryset=Pole.objects.filter(is_published=True).order_by("name"),
        required=False,
        empty_label=_("— aucun —"),
        error_messages={"invalid_choice": _("Choisissez un pôle de la liste.")},
    )
    accessibility_needs = forms.CharField(
        label=_("Besoins d'accessibilité (facultatif)"),
        help_text=_(
            "Par exemple : accès en fauteuil, boucle magnétique, interprétation en LSF, "
            "régime alimentaire."
        ),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public_consent = forms.BooleanField(
        label=_(
            "J'accepte que mon nom et mon organisation figurent sur la liste publique des "
            "participant·es."
        ),
        required=False,
    )


class RegistrantsEmailForm(forms.Form):
    STATUS_CHOICES = [
        (Registration.Status.CONFIRMED, _("inscriptions confirmées")),
        (Registration.Status.WAITLISTED, _("liste d'attente")),
    ]
    statuses = forms.MultipleChoiceField(
        label=_("Destinataires"),
        choices=STATUS_CHOICES,
        initial=[Registration.Status.CONFIRMED],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un groupe de destinataires.")},
    )
    subject = forms.CharField(
        label=_("Objet"),
        max_length=150,
        error_messages={"required": _("Indiquez l'objet du message.")},
    )
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Écrivez le message.")},
    )
