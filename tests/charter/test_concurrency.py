"""Concurrent submissions against the real PostgreSQL database: each thread has its own
connection and transaction."""

import threading
from collections import Counter

import pytest
from django.db import IntegrityError, connection

from charter import services
from charter.models import Signature
from charter.seed import seed_version_1
from poles.models import Pole

from .conftest import signature_data
from .factories import PoleCoordinatorFactory, SignatureFactory, UserFactory

THREADS = 50
# The other tests use fewer threads: with two xdist workers, two of them at once must stay
# well under PostgreSQL's default max_connections (100).
FEW_THREADS = 20


def _run_in_threads(target, count=THREADS):
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(index):
        try:
            barrier.wait(timeout=30)
            result = target(index)
        except Exception as exc:  # recorded and asserted on below
            result = type(exc).__name__
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(outcomes)


@pytest.mark.django_db(transaction=True)
def test_50_concurrent_submissions_for_one_pole_leave_one_signature():
    version = seed_version_1()
    coordination = PoleCoordinatorFactory(pole__status="engaged")
    user, pole = coordination.user, coordination.pole

    def submit(_index):
        services.signature_submit(user=user, data=signature_data(user), pole=pole)
        return "created"

    outcomes = _run_in_threads(submit)
    assert outcomes == Counter({"created": 1, "SignatureExists": THREADS - 1})
    assert Signature.objects.filter(pole=pole, version=version).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_for_a_new_pole_leave_one_pole_and_one_signature():
    seed_version_1()
    user = UserFactory()

    def submit(_index):
        services.signature_submit(
            user=user, data=signature_data(user), new_pole_name="Pôle des Cinquante"
        )
        return "created"

    outcomes = _run_in_threads(submit, FEW_THREADS)
    assert outcomes == Counter({"created": 1, "SignatureExists": FEW_THREADS - 1})
    assert Pole.objects.filter(name="Pôle des Cinquante").count() == 1
    assert Signature.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_constraint_alone_rejects_concurrent_inserts():
    """Without the service's lock, the partial unique constraint still keeps one."""
    version = seed_version_1()
    template = SignatureFactory(version=version)
    Signature.objects.filter(pk=template.pk).update(status="withdrawn")

    def insert(_index):
        try:
            SignatureFactory(version=version, pole=template.pole, signer=template.signer)
        except IntegrityError:
            return "IntegrityError"
        return "created"

    outcomes = _run_in_threads(insert, FEW_THREADS)
    assert outcomes == Counter({"created": 1, "IntegrityError": FEW_THREADS - 1})
    assert Signature.objects.filter(pole=template.pole, status="submitted").count() == 1
