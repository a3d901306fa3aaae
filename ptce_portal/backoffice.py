"""Shapes of the staff dashboard at /admin/ (see ptce_portal.admin_site).

Each app's selectors module may offer `staff_queues() -> list[StaffQueue]`: what waits for a
staff decision, counted and with the oldest items first. The dashboard asks each app in turn,
so the foundation imports no app code directly (ptce_portal.selectors.staff_queues)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Min, QuerySet

QUEUE_ITEMS = 5  # the oldest waiting items listed under each queue


@dataclass
class QueueItem:
    label: str
    url: str
    since: datetime | None = None
    detail: str = ""


@dataclass
class StaffQueue:
    key: str  # stable identifier, used in ids and tests
    title: str
    count: int
    url: str  # the page where staff act on the whole queue
    link_label: str
    permission: str  # "app_label.codename" needed to see and act on the queue
    oldest: datetime | None = None
    items: list[QueueItem] = field(default_factory=list)
    help_text: str = ""
    # When the queue's page is a portal page: its rule from ptce_portal.permissions.
    predicate: Callable | None = None

    def is_open_to(self, user) -> bool:
        if not user.has_perm(self.permission):
            return False
        return self.predicate is None or self.predicate(user)


def summarise(queryset: QuerySet, *, date_field: str, limit: int = QUEUE_ITEMS):
    """(count, oldest date, the `limit` oldest objects) in two queries whatever the size."""
    stats = queryset.order_by().aggregate(count=Count("pk"), oldest=Min(date_field))
    items = list(queryset.order_by(date_field, "pk")[:limit]) if stats["count"] else []
    return stats["count"], stats["oldest"], items
