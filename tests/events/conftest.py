import pytest

from events import demo as events_demo
from events import seed as events_seed

# The poles that spoke or were cited on 19 September 2014 (stable slugs of poles/data/poles.yaml).
POLE_SLUGS = {
    "pole-sud": "Pôle Sud",
    "ptce-pays-de-bray": "PTCE Pays de Bray",
    "domb-innov": "Domb'Innov",
    "la-coursive-boutaric": "La Coursive Boutaric",
    "ptce-sud-aquitain": "PTCE Sud Aquitain",
    "lille-metropole-solidaire": "Lille MétroPôle Solidaire",
    "culture-cooperation": "Culture & Coopération",
    "les-ecossolies-le-solilab": "Les Ecossolies – Le Solilab",
}


def make_poles():
    from poles.models import Pole

    for slug, name in POLE_SLUGS.items():
        Pole.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "is_published": True, "status": Pole.Status.SIGNATORY},
        )


@pytest.fixture
def seeded_events(db):
    """The events seed on top of the poles it links to, plus the demo day (`seed_ptce --demo`)."""
    make_poles()
    events_seed.run()
    events_demo.demo_day()


@pytest.fixture
def day_2014(seeded_events):
    from events.models import Event

    return Event.objects.get(slug="journee-nationale-2014")
