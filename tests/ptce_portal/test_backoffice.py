"""ptce_portal.backoffice.build_queue: the one builder of the staff dashboard's queues."""

import inspect
from datetime import timedelta
from importlib import import_module

import pytest
from django.utils import timezone

from ptce_portal.backoffice import QUEUE_ITEMS, QueueItem, StaffQueue, build_queue
from ptce_portal.models import OutgoingEmail
from tests.factories import FailedEmailFactory

pytestmark = pytest.mark.django_db


def failed(subject, age_days):
    email = FailedEmailFactory(subject=subject)
    created = timezone.now() - timedelta(days=age_days)
    OutgoingEmail.objects.filter(pk=email.pk).update(created_at=created)
    return created


FIELDS = {
    "key": "k",
    "title": "Titre",
    "url": "/admin/",
    "link_label": "Voir",
    "permission": "ptce_portal.view_outgoingemail",
}


def test_from_a_queryset_counts_all_and_lists_the_oldest(django_assert_num_queries):
    oldest = failed("Le plus ancien", 30)
    for n in range(QUEUE_ITEMS + 2):
        failed(f"Message {n}", n)
    with django_assert_num_queries(2):
        queue = build_queue(
            OutgoingEmail.objects.all(),
            date_field="created_at",
            item=lambda email: QueueItem(label=email.subject, url=f"#{email.pk}"),
            **FIELDS,
        )
    assert isinstance(queue, StaffQueue)
    assert queue.count == QUEUE_ITEMS + 3 and queue.oldest == oldest
    assert len(queue.items) == QUEUE_ITEMS and queue.items[0].label == "Le plus ancien"
    assert queue.key == "k" and queue.permission == "ptce_portal.view_outgoingemail"


def test_from_objects_with_their_own_count():
    queue = build_queue(
        ["a", "b"], count=7, item=lambda s: QueueItem(label=s.upper(), url="#"), **FIELDS
    )
    assert queue.count == 7 and queue.oldest is None
    assert [i.label for i in queue.items] == ["A", "B"]
    empty = build_queue(
        OutgoingEmail.objects.all(), date_field="created_at", item=lambda e: None, **FIELDS
    )
    assert (empty.count, empty.oldest, empty.items) == (0, None, [])


@pytest.mark.parametrize(
    "module", ["poles.selectors", "charter.selectors", "events.selectors", "ptce_portal.selectors"]
)
def test_every_domain_builds_its_queues_with_build_queue(module):
    source = inspect.getsource(import_module(module))
    assert "build_queue(" in source
    assert "StaffQueue(" not in source and "summarise(" not in source
