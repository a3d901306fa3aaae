"""Filters of the directory, the map and the open data (plain GET parameters)."""

import re
from typing import Any
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ptce_portal.search import Folded, folded

from .models import SEARCH_NAME, SEARCH_TEXT, CallForProjects, Department, Pole, Region, Theme

SEARCH_FIELDS = ("name", "carrier_structure", "town", "territory_label", "short_description")
# Also searched, through the pole's territory: its current and pre-2016 regions' names and
# its departments' names and chefs-lieux; a word shaped like a department code ("44", "2A",
# "974") matches that department's code exactly.
DEPARTMENT_FIELDS = ("name", "chef_lieu")
DEPARTMENT_CODE = re.compile(r"^(?:\d{2,3}|2[AB])$", re.IGNORECASE)
MAX_SEARCH_WORDS = 8


def _territory_match(word: str) -> Q:
    """The poles whose territory matches `word`: their current or pre-2016 region's name,
    one of their departments' names, chefs-lieux or code. The small region and department
    tables are read first (two queries), so that a word matching no territory adds no
    condition and the search stays on the poles' trigram indexes."""
    term = folded(word)
    regions = list(
        Region.objects.alias(folded_name=Folded("name"))
        .filter(folded_name__contains=term)
        .values_list("pk", flat=True)
    )
    departments_q = Q()
    aliases = {}
    for field in DEPARTMENT_FIELDS:
        aliases[f"folded_{field}"] = Folded(field)
        departments_q |= Q(**{f"folded_{field}__contains": term})
    if DEPARTMENT_CODE.match(word):
        departments_q |= Q(code=word.upper())
    departments = list(
        Department.objects.alias(**aliases).filter(departments_q).values_list("pk", flat=True)
    )
    match = Q()
    if regions:
        match |= Q(region_id__in=regions) | Q(former_region_id__in=regions)
    if departments:
        links = Pole.departments.through.objects.filter(
            department_id__in=departments, pole=OuterRef("pk")
        )
        match |= Q(Exists(links))
    return match


def search_poles(queryset, value: str):
    """Every word must match one of the searched fields or the pole's territory (its
    current and pre-2016 regions' names, its departments' names, chefs-lieux and codes),
    ignoring accents and case; a name close to the query (trigram word similarity) also
    matches, so small typos are forgiven. The pole's own fields are read through the folded
    expressions of the poles (SEARCH_TEXT, SEARCH_NAME) and their trigram indexes."""
    words = [w for w in re.split(r"\s+", value.strip()) if w][:MAX_SEARCH_WORDS]
    if not words:
        return queryset
    condition = Q()
    for word in words:
        own_fields = Q(search_text__contains=folded(word))
        territory = _territory_match(word)
        condition &= (own_fields | territory) if territory else own_fields
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


class DepartmentCheckboxes(forms.CheckboxSelectMultiple):
    """Departments as checkboxes, each carrying its region's code (data-region) so that
    static/poles/filters.js can show only the chosen region's departments at once."""

    region_of: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        region = self.region_of.get(str(value))
        if region:
            option["attrs"]["data-region"] = region
        return option


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
    departement = django_filters.ModelMultipleChoiceFilter(
        label=_("Départements"),
        field_name="departments__code",
        to_field_name="code",
        queryset=Department.objects.select_related("region").order_by("code"),
        widget=DepartmentCheckboxes,
        distinct=True,
        help_text=_("Un pôle d'au moins un des départements cochés."),
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

    def follow_the_region(self) -> None:
        """The department list follows the chosen region (without JavaScript: once the
        filters are applied); departments already ticked stay listed. Called by the pages
        that show the form only: open data, which never renders it, skips this query."""
        field = self.form.fields.get("departement")
        if field is None:
            return
        departments = list(field.queryset)
        region = self.data.get("region", "") if self.is_bound else ""
        ticked = set(self._raw_values("departement"))
        regions = {d.region.code for d in departments}
        shown = [
            d
            for d in departments
            if region not in regions or d.region.code == region or d.code in ticked
        ]
        widget = DepartmentCheckboxes()
        widget.region_of = {d.code: d.region.code for d in departments}
        widget.choices = [(d.code, str(d)) for d in shown]
        field.widget = widget

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

    def active_filters(self) -> dict[str, Any]:
        """The filters applied, with their cleaned values (a department filter with no box
        ticked is not one)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {}) or {}
        return {
            name: value
            for name, value in cleaned.items()
            if not (
                value is None or value == "" or (isinstance(value, list | QuerySet) and not value)
            )
        }

    # --- What the page says about the active filters -------------------------------------

    def _raw_values(self, name: str) -> list[str]:
        if not self.is_bound:
            return []
        getlist = getattr(self.data, "getlist", None)
        values = getlist(name) if getlist else [self.data.get(name, "")]
        return [v for v in values if v not in ("", None)]

    def _querystring(self, *, drop: str, value: str | None = None) -> str:
        """The filters' query string without `drop` (or only its `value`), empty parameters
        and the page number."""
        pairs = []
        for name in self.data:
            if name == "page":
                continue
            for raw in self._raw_values(name):
                if name == drop and (value is None or raw == value):
                    continue
                pairs.append((name, raw))
        return urlencode(pairs)

    def _value_label(self, name: str, raw: str) -> str:
        value = self.form.cleaned_data.get(name)
        if name == "q":
            return f"« {value} »"
        if name == "departement":
            return next((str(d) for d in value if d.code == raw), raw)
        if isinstance(value, models.Model):
            return str(value)
        return str(dict(self.form.fields[name].choices).get(raw, raw))

    def chips(self) -> list[dict[str, str]]:
        """One removable chip per active filter value: what it is and the query string
        without it."""
        chips = []
        for name in self.active_filters():
            label = str(self.form.fields[name].label)
            if name == "departement":
                label = str(_("Département"))
            for raw in self._raw_values(name):
                chips.append(
                    {
                        "label": label,
                        "value": self._value_label(name, raw),
                        "querystring": self._querystring(drop=name, value=raw),
                    }
                )
        return chips

    def contradictions(self) -> list[str]:
        """Filters that exclude each other by geography: a department outside the chosen
        region or former region, a former region outside the chosen region."""
        active = self.active_filters()
        region = active.get("region")
        former = active.get("ancienne_region")
        reasons = []
        for department in active.get("departement", []):
            if region and department.region_id != region.pk:
                reasons.append(
                    _("%(department)s n'est pas dans la région %(region)s.")
                    % {"department": department, "region": region}
                )
            if former and department.former_region_id != former.pk:
                reasons.append(
                    _("%(department)s n'était pas dans l'ancienne région %(region)s.")
                    % {"department": department, "region": former}
                )
        if (
            region
            and former
            and not Department.objects.filter(region=region, former_region=former).exists()
        ):
            reasons.append(
                _("L'ancienne région %(former)s ne fait pas partie de la région %(region)s.")
                % {"former": former, "region": region}
            )
        return reasons

    def relaxations(self) -> list[dict[str, Any]]:
        """When no pole matches several filters: for each filter, how many poles match the
        others, and the query string without it (one count per active filter)."""
        active = self.active_filters()
        if len(active) < 2:
            return []
        rows = []
        for name in active:
            data = self.data.copy()
            data.pop(name, None)
            data.pop("page", None)
            count = type(self)(data, queryset=self.queryset).qs.count()
            values = ", ".join(self._value_label(name, raw) for raw in self._raw_values(name))
            rows.append(
                {
                    "label": str(self.form.fields[name].label),
                    "value": values,
                    "count": count,
                    "querystring": self._querystring(drop=name),
                }
            )
        return rows


class MapPoleFilter(PoleFilter):
    """The map shows signatories only: no status filter."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters.pop("statut", None)
        self.form.fields.pop("statut", None)
