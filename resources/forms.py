from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from poles.models import Pole, Theme
from ptce_portal import text_limits
from referential.models import PrincipalObjective

from . import files, licences, selectors
from .models import BODY_MAX, SUMMARY_MAX, Resource, ResourceKind
from .services import ResourceData


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once; their content is checked by the service (resources.files),
    which refuses them all, with one message per bad file, before anything is stored."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": files.ACCEPT_ATTRIBUTE, "multiple": True})
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        uploads = data if isinstance(data, list | tuple) else [data]
        return [super(AttachmentsField, self).clean(upload, initial) for upload in uploads]


ATTACHMENTS_HELP = _(
    "PDF, ODT, DOCX, ou images (JPEG, PNG, WebP, GIF) ; 10 Mo au plus par fichier, "
    "10 fichiers au plus. Le type est vérifié d'après le contenu du fichier."
)


class ResourceForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Theme.objects.order_by("position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objectives = forms.TypedMultipleChoiceField(
        label=_("Objectifs principaux du référentiel auxquels elle aide"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "La ressource sera proposée aux pôles dont l'auto-évaluation est faible sur ces "
            "objectifs."
        ),
    )
    poles = forms.ModelMultipleChoiceField(
        label=_("Pôles concernés"),
        queryset=Pole.objects.filter(is_published=True).order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Les pôles qui portent ou ont vécu ce qui est décrit (Ctrl ou Cmd pour en choisir "
            "plusieurs)."
        ),
    )
    attachments = AttachmentsField(label=_("Fichiers joints"), help_text=ATTACHMENTS_HELP)

    class Meta:
        model = Resource
        fields = ["title", "kind", "summary", "body", "licence", "themes", "objectives", "poles"]
        widgets = {
            "kind": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
        }
        help_texts = {
            "summary": _("Quelques lignes : elles s'affichent dans les résultats de recherche."),
            "body": _("Le contenu de la fiche : contexte, démarche, résultats, contacts utiles…"),
            "licence": _("Ce que les autres pôles peuvent faire de la ressource."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, capfirst(label)) for value, label in ResourceKind.choices
        ]
        self.fields["licence"].choices = licences.choices()
        # The model's default is a callable: Django would add a hidden copy of the initial
        # value, carrying the help text's aria-describedby, which HTML forbids on a hidden input.
        self.fields["licence"].show_hidden_initial = False
        grouped = selectors.objective_choices()
        self.fields["objectives"].choices = grouped
        if self.instance.pk:
            self.initial["objectives"] = list(self.instance.objectives.values_list("pk", flat=True))
        self.fields["summary"].max_length = SUMMARY_MAX
        self.fields["body"].max_length = BODY_MAX

    def data_for_service(self) -> ResourceData:
        data = self.cleaned_data
        return ResourceData(
            title=data["title"],
            kind=data["kind"],
            summary=data["summary"],
            body=data.get("body", ""),
            licence=data["licence"],
            themes=list(data.get("themes") or []),
            objectives=list(PrincipalObjective.objects.filter(pk__in=data.get("objectives") or [])),
            poles=list(data.get("poles") or []),
        )


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=text_limits.MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Envoyé à l'auteur, qui pourra modifier la ressource et la soumettre de nouveau."
        ),
    )
