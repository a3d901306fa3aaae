import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Registration


class RegistrationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Nom, e-mail ou organisation"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"), choices=Registration.Status.choices, empty_label=_("tous")
    )
    category = django_filters.ChoiceFilter(
        label=_("Catégorie"), choices=Registration.Category.choices, empty_label=_("toutes")
    )
    present = django_filters.ChoiceFilter(
        label=_("Présence"),
        choices=[("yes", _("pointé·es")), ("no", _("pas encore pointé·es"))],
        empty_label=_("indifférent"),
        method="filter_present",
    )

    class Meta:
        model = Registration
        fields = ["q", "status", "category", "present"]

    def filter_q(self, queryset, name, value):
        # Every word must match a name, the e-mail or the organisation ("marie dupont" finds
        # Marie Dupont; "dupont ecooparc" narrows to her organisation).
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(organisation__icontains=word)
            )
        return queryset

    def filter_present(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(checked_in_at__isnull=False)
        if value == "no":
            return queryset.filter(checked_in_at__isnull=True)
        return queryset
