import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_SEPARATORS = re.compile(r"[\s.\-/()]")
_FRENCH = re.compile(r"^(?:\+33|0033|0)([1-9]\d{8})$")
_INTERNATIONAL = re.compile(r"^(?:\+|00)([1-9]\d{7,14})$")


def normalize_phone(value: str) -> str:
    """Return the number in a readable canonical form, or raise ValidationError.

    French numbers become « 01 23 45 67 89 »; other countries keep their +prefix."""
    compact = _SEPARATORS.sub("", value or "").replace("\u00a0", "").replace("\u202f", "")
    match = _FRENCH.match(compact)
    if match:
        digits = "0" + match.group(1)
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    match = _INTERNATIONAL.match(compact)
    if match:
        return "+" + match.group(1)
    raise ValidationError(
        _(
            "Ce numéro de téléphone n'est pas valide (exemple : 01 23 45 67 89 ou +33 1 23 "
            "45 67 89)."
        ),
        code="invalid_phone",
    )


def validate_phone(value: str) -> None:
    if value:
        normalize_phone(value)
