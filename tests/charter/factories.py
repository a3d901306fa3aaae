"""Factories of the charter domain."""

import datetime

import factory

from charter.models import Signature
from tests.factories import UserFactory
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory

__all__ = ["PoleCoordinatorFactory", "PoleFactory", "SignatureFactory", "UserFactory"]


class SignatureFactory(factory.django.DjangoModelFactory):
    """A submitted signature; pass `version=` (the `charter_version` fixture)."""

    class Meta:
        model = Signature

    pole = factory.SubFactory(PoleFactory, status="engaged")
    pole_name = factory.SelfAttribute("pole.name")
    pole_contact = "12 rue de la Coopération, 69001 Lyon"
    representative_last_name = "Durand"
    representative_first_name = "Camille"
    representative_email = factory.Sequence(lambda n: f"representant{n}@exemple.fr")
    representative_phone = "04 72 00 00 00"
    stage = Signature.Stage.CONSTITUTED
    commitment_build = True
    commitment_community = True
    place = "Lyon"
    signed_on = factory.LazyFunction(datetime.date.today)
    signature_name = "Camille Durand"
    consent_publication = True
    status = Signature.Status.SUBMITTED
    signer = factory.SubFactory(UserFactory)
