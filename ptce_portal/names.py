"""Names typed by people (a person's name, a pole's, an organisation's): cleaned of what
cannot be seen, and, for people's names, refused when they hold a link.

- Invisible format characters (Unicode category Cf: right-to-left and other bidi overrides,
  zero-width spaces and joiners, the soft hyphen…) are removed: « ‮Pôle‬ » could otherwise
  be made to read as something else on the map, in a PDF or in an e-mail. Runs of white space
  (tabs, new lines included) become one space.
- A person's name may be written into an e-mail sent to someone else (a greeting, a
  notification to staff): it must not carry a link or an address that the portal's own
  e-mail would then vouch for.

`NameField` (models) does both wherever a name is saved (forms, admin, services, seed: it
cleans in `pre_save` too); `NameFormField` does it for plain forms.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def without_format_characters(value: str) -> str:
    return "".join(char for char in value if unicodedata.category(char) != "Cf")


def clean_name(value: str) -> str:
    """`value` without invisible format characters, its white space collapsed and trimmed."""
    if not value:
        return value
    return " ".join(without_format_characters(value).split())


_LINK = re.compile(
    r"""
    [a-z][a-z0-9+.-]*:// |          # a scheme: https://, ftp://…
    \bwww\d{0,3}\. |                # www.exemple
    @ |                             # an e-mail address
    [a-z0-9-]+\.[a-z]{2,24}(?![a-z])   # a domain: exemple.fr, bit.ly
    """,
    re.IGNORECASE | re.VERBOSE,
)


def has_link(value: str) -> bool:
    """A web or e-mail address in `value`, also written with look-alike characters (full-width
    dots or letters, a « one dot leader »…, folded by NFKC first)."""
    folded = unicodedata.normalize("NFKC", clean_name(value or ""))
    folded = folded.replace("\u2024", ".").replace("\u3002", ".")
    return bool(_LINK.search(folded))


def validate_no_link(value: str) -> None:
    if has_link(value):
        raise ValidationError(
            _("Un nom ne peut contenir ni adresse web ni adresse e-mail."), code="link_in_name"
        )


class NameFormField(forms.CharField):
    """A name in a form: cleaned as `clean_name`; `person=True` also refuses links."""

    def __init__(self, *args, person: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if person:
            self.validators.append(validate_no_link)

    def to_python(self, value):
        value = super().to_python(value)
        return clean_name(value) if isinstance(value, str) else value


class NameField(models.CharField):
    """A name column: cleaned as `clean_name` however it is saved; `person=True` (a person's
    name) also refuses links."""

    def __init__(self, *args, person: bool = False, **kwargs):
        self.person = person
        super().__init__(*args, **kwargs)
        if person:
            self.validators.append(validate_no_link)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.person:
            kwargs["person"] = True
        return name, path, args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        return clean_name(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = clean_name(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NameFormField, "person": self.person, **kwargs})


def clean_stored_names(model, *fields: str) -> int:
    """Clean the names already stored in `fields` of `model` (a data migration's historical
    model); returns the number of rows changed."""
    changed = 0
    for row in model._default_manager.only("pk", *fields).iterator():
        values = {field: getattr(row, field) for field in fields}
        cleaned = {k: clean_name(v) if isinstance(v, str) else v for k, v in values.items()}
        if cleaned != values:
            model._default_manager.filter(pk=row.pk).update(**cleaned)
            changed += 1
    return changed
