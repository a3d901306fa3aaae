"""Template helpers of the poles app.

The charter signature of a pole is asked of `charter.selectors.validated_signature_for_pole`
through the app registry (poles never imports charter). If the charter app ships the template
`charter/_pole_signature.html`, it renders the block; otherwise poles' own small block does.
"""

from django import template
from django.template.loader import select_template

from .. import selectors

register = template.Library()


@register.simple_tag
def pole_charter_signature(pole):
    return selectors.charter_signature_for_pole(pole)


@register.simple_tag(takes_context=True)
def charter_signature_block(context, pole):
    signature = selectors.charter_signature_for_pole(pole)
    names = ["charter/_pole_signature.html", "poles/_signature.html"] if signature else []
    tpl = select_template([*names, "poles/_signature.html"])
    return tpl.render(
        {"pole": pole, "signature": signature, "request": context.get("request")},
        context.get("request"),
    )
