from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def my_audit_entries(user, count=10):
    """The latest audit entries made by `user` (the admin index's side column)."""
    return selectors.recent_entries_by(user, count=count)
