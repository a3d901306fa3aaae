"""Length limits of free text typed on the portal (descriptions, messages, reasons,
comments, accessibility needs): the field's max_length (forms show and check it, with
Django's French message) and a database constraint, so that no other path stores more."""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

DESCRIPTION = 5000  # a pole's description: a few long paragraphs
MESSAGE = 2000  # a request's message, a refusal or withdrawal reason, a comment
CONTACT = 1000  # postal address and website of a pole, accessibility needs


def length_limit(field: str, limit: int, *, name: str, label) -> models.CheckConstraint:
    """The database side of `max_length` for a TextField (PostgreSQL counts characters)."""
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit),
        name=name,
        violation_error_message=format_lazy(
            _("« {label} » tient en {limit} caractères au plus."), label=label, limit=limit
        ),
    )


def truncate_longer_texts(model, limits: dict[str, int]) -> None:
    """For a migration, before its constraints: texts of `model` (the migration's historical
    model) already longer than their new limit (stored before it existed) are cut to it, so
    the migration applies on any database."""
    from django.db.models.functions import Left

    for field, limit in limits.items():
        model._base_manager.annotate(_length=Length(field)).filter(_length__gt=limit).update(
            **{field: Left(field, limit)}
        )
