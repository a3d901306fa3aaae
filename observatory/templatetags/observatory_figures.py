"""How the observatory writes a figure: French numbers, « < 5 pôles » for a suppressed cell,
« non renseigné » for an unknown one."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ptce_portal.charts import figure

register = template.Library()


@register.filter
def obs_figure(value, unit: str = ""):
    """A statistic (median, quartile, count): None is a suppressed cell."""
    if value is None:
        return format_html('<span class="obs-suppressed">{}</span>', _("< 5 pôles"))
    text = figure(value)
    return f"{text}\u00a0{unit}" if unit else text


@register.filter
def obs_cell(cell):
    """A protected count (observatory.statistics.Cell)."""
    return obs_figure(cell.value)


@register.filter
def obs_known(value, unit: str = ""):
    """A pole's own figure: None is « non renseigné »."""
    if value is None or value == "":
        return format_html('<span class="obs-unknown">{}</span>', _("non renseigné"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = figure(value)
        return f"{text}\u00a0{unit}" if unit else text
    return value
