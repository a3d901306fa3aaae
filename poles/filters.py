"""Filters of the directory, the map and the open data (plain GET parameters)."""

import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ptce_portal.search import folded

from .models import SEARCH_NAME, SEARCH_TEXT, CallForProjects, Department, Pole, Region, Theme

SEARCH_FIELDS = ("name", "carrier_structure", "town", "territory_label", "short_description")
MAX_SEARCH_WORDS = 8


def search_poles(queryset, value: str):
    """Every word must match one of the searched fields, ignoring accents and case; a name
    close to the query (trigram word similarity) also matches, so small typos are forgiven.
    Both read the folded expressions of the poles (SEARCH_TEXT: the fields of SEARCH_FIELDS
    without accents, lower case; SEARCH_NAME) through their trigram indexes."""
    words = [w for w in re.split(r"\s+", value.strip()) if w][:MAX_SEARCH_WORDS]
    if not words:
        return queryset
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=folded(word))
    fuzzy = (
        Q(search_name__trigram_word_similar=folded(value.strip()))
        if len(value) >= 4
        else Q(pk=None)
    )
    return queryset.alias(search_text=SEARCH_TEXT, search_name=SEARCH_NAME).filter(
        condition | fuzzy
    )


ANY_CALL = "oui"


def laureate_choices():
    """ "oui" (laureate of any call), then each call by its slug; read at each form build."""
    calls = CallForProjects.objects.order_by("year", "title").values_list("slug", "title", "year")
    return [(ANY_CALL, _("Lauréat d'au moins un appel"))] + [
        (slug, f"{title} ({year})") for slug, title, year in calls
    ]


class PoleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="filter_search",
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("nom, structure, commune…")}
        ),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Région"),
        field_name="region",
        to_field_name="code",
        queryset=Region.objects.filter(kind=Region.Kind.CURRENT),
        empty_label=_("Toutes les régions"),
    )
    ancienne_region = django_filters.ModelChoiceFilter(
        label=_("Ancienne région (avant 2016)"),
        field_name="former_region",
        to_field_name="code",
        queryset=Region.objects.filter(kind=Region.Kind.FORMER),
        empty_label=_("Toutes les anciennes régions"),
    )
    departement = django_filters.ModelChoiceFilter(
        label=_("Département"),
        field_name="departments",
        to_field_name="code",
        queryset=Department.objects.all(),
        empty_label=_("Tous les départements"),
        distinct=True,
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"),
        field_name="themes",
        to_field_name="slug",
        queryset=Theme.objects.all(),
        empty_label=_("Tous les thèmes"),
        distinct=True,
    )
    maturite = django_filters.ChoiceFilter(
        label=_("Maturité"),
        field_name="maturity",
        choices=Pole.Maturity.choices,
        empty_label=_("Toutes"),
    )
    statut = django_filters.ChoiceFilter(
        label=_("Statut dans la démarche"),
        field_name="status",
        choices=Pole.Status.choices,
        empty_label=_("Tous"),
    )
    laureat = django_filters.ChoiceFilter(
        label=_("Lauréat d'un appel à projets"),
        choices=laureate_choices,
        empty_label=_("Indifférent"),
        method="filter_laureate",
    )

    class Meta:
        model = Pole
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return search_poles(queryset, value)

    def filter_laureate(self, queryset, name, value):
        laureates = CallForProjects.laureates.through.objects.filter(pole=OuterRef("pk"))
        if value != ANY_CALL:
            laureates = laureates.filter(callforprojects__slug=value)
        return queryset.filter(Exists(laureates))

    def invalid_filters(self) -> list[dict]:
        """The filters whose value is not recognised: they are ignored, and the page says so."""
        if not self.is_bound or self.form.is_valid():
            return []
        problems = []
        for name, errors in self.form.errors.items():
            field = self.form.fields.get(name)
            problems.append(
                {
                    "name": name,
                    "label": str(field.label) if field else name,
                    "value": self.data.get(name, ""),
                    "errors": [str(e) for e in errors],
                }
            )
        return problems

    def active_filters(self) -> dict[str, str]:
        if not self.is_bound:
            return {}
        cleaned = getattr(self.form, "cleaned_data", {}) or {}
        return {name: value for name, value in cleaned.items() if value not in (None, "", [])}


class MapPoleFilter(PoleFilter):
    """The map shows signatories only: no status filter."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters.pop("statut", None)
        self.form.fields.pop("statut", None)
