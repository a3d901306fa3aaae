import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Registration


class RegistrationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Nom, e-mail ou organisation"), method="filter_q", widget=forms.TextInput()
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
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
            | Q(organisation__icontains=value)
        )

    def filter_present(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(checked_in_at__isnull=False)
        if value == "no":
            return queryset.filter(checked_in_at__isnull=True)
        return queryset
