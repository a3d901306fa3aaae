import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from poles.models import Region

from .models import Signature

SORT_CHOICES = [
    ("numero", _("numéro")),
    ("-numero", _("numéro (décroissant)")),
    ("region", _("région")),
    ("-region", _("région (Z → A)")),
    ("pole", _("nom du pôle")),
    ("-pole", _("nom du pôle (Z → A)")),
    ("date", _("date de signature")),
    ("-date", _("date de signature (récente d'abord)")),
]


def _region_choices():
    """The regions of validated signatories: from the signatures (a few hundred), not from a
    join of every region with every pole (it grew with the directory)."""
    validated = Signature.objects.filter(status=Signature.Status.VALIDATED)
    used = Region.objects.filter(
        Exists(validated.filter(pole__region=OuterRef("pk")))
        | Exists(validated.filter(pole__former_region=OuterRef("pk")))
    ).order_by("name")
    current, former = [], []
    for region in used:
        (current if region.kind == Region.Kind.CURRENT else former).append(
            (region.code, region.name)
        )
    choices = []
    if current:
        choices.append((_("Régions actuelles"), current))
    if former:
        choices.append((_("Régions de 2014 (avant 2016)"), former))
    return choices


class SignatoryFilter(django_filters.FilterSet):
    """GET filters of the public list of signatories. Sorting is applied by the selector."""

    region = django_filters.ChoiceFilter(
        label=_("Région"),
        choices=_region_choices,
        empty_label=_("Toutes les régions"),
        method="filter_region",
    )
    tri = django_filters.ChoiceFilter(
        label=_("Trier par"),
        choices=SORT_CHOICES,
        empty_label=None,
        method="filter_noop",
    )

    class Meta:
        model = Signature
        fields: list[str] = []

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(pole__region__code=value) | Q(pole__former_region__code=value))

    def filter_noop(self, queryset, name, value):
        return queryset
