"""Factories of the poles domain; other apps import PoleFactory & co. from here."""

import factory

from poles.models import (
    CallForProjects,
    Department,
    Pole,
    PoleCoordinator,
    PoleMember,
    Region,
    Theme,
)
from tests.factories import UserFactory


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Région {n}")
    kind = Region.Kind.CURRENT


class FormerRegionFactory(RegionFactory):
    code = factory.Sequence(lambda n: f"ancienne-region-{n}")
    name = factory.Sequence(lambda n: f"Ancienne région {n}")
    kind = Region.Kind.FORMER


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    # Codes "T00"… never collide with real department codes.
    code = factory.Sequence(lambda n: f"T{n % 100:02d}" if n < 100 else f"U{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Département {n}")
    chef_lieu = factory.Sequence(lambda n: f"Chef-lieu {n}")
    latitude = 45.76
    longitude = 4.84
    region = factory.SubFactory(RegionFactory)
    former_region = factory.SubFactory(FormerRegionFactory)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class PoleFactory(factory.django.DjangoModelFactory):
    """A published pole with one department; its region follows the department's."""

    class Meta:
        model = Pole
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Pôle de coopération {n}")
    slug = factory.Sequence(lambda n: f"pole-de-cooperation-{n}")
    carrier_structure = "Association porteuse"
    short_description = "Un pôle de coopération économique de test."
    town = "Lyon"
    latitude = 45.76
    longitude = 4.84
    status = Pole.Status.SIGNATORY
    maturity = Pole.Maturity.EXISTING
    is_published = True
    # `department` is not a model field: it becomes the pole's only department
    # (pass departments=[…] to set several).
    department = factory.SubFactory(DepartmentFactory)
    region = factory.SelfAttribute("department.region")
    former_region = factory.SelfAttribute("department.former_region")

    @classmethod
    def _create(cls, model_class, *args, department=None, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        obj._factory_department = department
        return obj

    @classmethod
    def _build(cls, model_class, *args, department=None, **kwargs):
        return super()._build(model_class, *args, **kwargs)

    @factory.post_generation
    def departments(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.departments.set(extracted if extracted is not None else [obj._factory_department])

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)


class PoleMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoleMember

    pole = factory.SubFactory(PoleFactory)
    name = factory.Sequence(lambda n: f"Membre {n}")
    category = PoleMember.Category.ESS_ENTERPRISE


class PoleCoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoleCoordinator

    pole = factory.SubFactory(PoleFactory)
    user = factory.SubFactory(UserFactory)
    status = PoleCoordinator.Status.APPROVED


class CallForProjectsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallForProjects
        django_get_or_create = ("slug",)

    year = 2013
    title = factory.Sequence(lambda n: f"Appel à projets {n}")
    slug = factory.Sequence(lambda n: f"appel-{n}")
