"""Shapes of the staff dashboard at /admin/ (drawn by the composition's admin site).

Each app's selectors module may offer `staff_queues() -> list[StaffQueue]`: what waits for a
staff decision, counted and with the oldest items first. The dashboard asks each app in turn,
through the contribution registry, so the foundation imports no app code."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

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


def summarise(
    queryset: QuerySet[Any], *, date_field: str, limit: int = QUEUE_ITEMS
) -> tuple[int, datetime | None, list[Any]]:
    """(count, oldest date, the `limit` oldest objects) in two queries whatever the size."""
    stats = queryset.order_by().aggregate(count=Count("pk"), oldest=Min(date_field))
    items = list(queryset.order_by(date_field, "pk")[:limit]) if stats["count"] else []
    return stats["count"], stats["oldest"], items


def build_queue[T](
    source: Iterable[T],
    *,
    item: Callable[[T], QueueItem],
    date_field: str | None = None,
    count: int | None = None,
    oldest: datetime | None = None,
    limit: int = QUEUE_ITEMS,
    **queue_fields,
) -> StaffQueue:
    """The one way to build a StaffQueue. With `date_field`, `source` is a queryset of the
    waiting objects: counted, dated and its `limit` oldest listed (summarise, 2 queries).
    Without, `source` is the objects to list as they are, with the `count` and `oldest`
    the caller computed (a queue whose count is not its number of objects).
    `item(obj) -> QueueItem` turns each listed object into a line; `queue_fields` are the
    other StaffQueue fields (key, title, url, link_label, permission, …)."""
    if date_field is not None:
        queryset = cast("QuerySet[Any]", source)  # a queryset, as documented
        count, oldest, objects = summarise(queryset, date_field=date_field, limit=limit)
    else:
        objects = list(source)
        if count is None:
            count = len(objects)
    return StaffQueue(
        count=count, oldest=oldest, items=[item(obj) for obj in objects], **queue_fields
    )
