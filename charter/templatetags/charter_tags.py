"""Template helpers of the charter: French typography and the pole signature badge."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space, before ; : ! ? and inside « »


@register.filter(needs_autoescape=True)
def typo_fr(value, autoescape=True):
    """French typography: curly apostrophes and no-break spaces around « » ; : ! ?"""
    text = str(value or "")
    text = text.replace("'", "’")
    text = re.sub(r"«\s*", "«" + NNBSP, text)
    text = re.sub(r"\s*»", NNBSP + "»", text)
    text = re.sub(r"\s+([;!?])", NNBSP + r"\1", text)
    text = re.sub(r"\s+:", NBSP + ":", text)
    text = re.sub(r"(\d) (\d{3})\b", r"\1" + NNBSP + r"\2", text)
    text = re.sub(r"\b(n°|N°|art\.|p\.) ", r"\1" + NBSP, text)
    escape = conditional_escape if autoescape else (lambda x: x)
    return mark_safe(escape(text))


@register.filter
def quoted(value):
    """Wrap in French quotes with narrow no-break spaces."""
    return mark_safe("«" + NNBSP + conditional_escape(value) + NNBSP + "»")
