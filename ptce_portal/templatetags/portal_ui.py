"""Template helpers of the portal's shared components (templates/components/)."""

from django import template
from django.core.paginator import Page

register = template.Library()


@register.simple_tag
def elided_page_range(page: Page) -> list:
    """The page numbers to link, with the paginator's ellipsis where pages are skipped."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
