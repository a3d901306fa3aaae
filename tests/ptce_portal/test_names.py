"""Names typed by people: invisible format characters removed, links refused in people's names
(ptce_portal.names)."""

import pytest
from django.core.exceptions import ValidationError

from ptce_portal.names import NameFormField, clean_name, has_link, validate_no_link

RLO, PDF, ZWSP, ZWJ, LRI, PDI, SHY, BOM = (
    "\u202e",
    "\u202c",
    "\u200b",
    "\u200d",
    "\u2066",
    "\u2069",
    "\u00ad",
    "\ufeff",
)


def test_format_characters_are_removed_and_spaces_collapsed():
    assert clean_name(f"{RLO}Pôle{PDF} {ZWSP}Sud{BOM}") == "Pôle Sud"
    assert clean_name(f"  Jean{SHY}-{ZWJ}Pierre \t\n {LRI}Dupont{PDI} ") == "Jean-Pierre Dupont"
    assert clean_name("Élise O'Neil – Coopérative « Les Ateliers »") == (
        "Élise O'Neil – Coopérative « Les Ateliers »"
    )
    assert clean_name("") == ""


@pytest.mark.parametrize(
    "name",
    [
        "Cliquez https://exemple.com",
        "Camille www.arnaque.fr",
        "arnaque.fr",
        "Voir bit.ly/abc",
        "écrire à camille@exemple.fr",
        "ｗｗｗ．ａｒｎａｑｕｅ．ｆｒ",  # full-width
        "arnaque\u2024fr",  # one dot leader
        f"arn{ZWSP}aque.f{RLO}r",
    ],
)
def test_links_are_found_in_names(name):
    assert has_link(name)
    with pytest.raises(ValidationError):
        validate_no_link(name)


@pytest.mark.parametrize(
    "name", ["Jean-Pierre", "J.-P. Dupont", "M. Dupont", "Élise O'Neil", "Anne Marie Ç. Lê"]
)
def test_ordinary_names_hold_no_link(name):
    assert not has_link(name)


def test_the_form_field_cleans_and_refuses():
    field = NameFormField(max_length=20, person=True)
    assert field.clean(f"{RLO}Camille ") == "Camille"
    with pytest.raises(ValidationError) as exc:
        field.clean("Camille arnaque.fr")
    assert exc.value.messages == ["Un nom ne peut contenir ni adresse web ni adresse e-mail."]
    # Only people's names refuse links: an organisation may be called « Coop.fr ».
    assert NameFormField(max_length=20).clean(f"Coop{ZWSP}.fr") == "Coop.fr"


@pytest.mark.django_db
def test_names_saved_by_any_path_are_cleaned():
    from tests.poles.factories import PoleFactory, PoleMemberFactory

    pole = PoleFactory(name=f"{RLO}duS eloP{PDF}", carrier_structure=f"Asso{ZWSP}ciation")
    member = PoleMemberFactory(pole=pole, name=f"Mairie{BOM} de  Lyon")
    pole.refresh_from_db()
    member.refresh_from_db()
    assert (pole.name, pole.carrier_structure, member.name) == (
        "duS eloP",
        "Association",
        "Mairie de Lyon",
    )
