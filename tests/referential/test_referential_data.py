import io
import re

from django.core.management import call_command

from referential.models import GeneralObjective, Indicator, PrincipalObjective, ReferentialVersion
from referential.selectors import current_version
from tests.sources import REPORT_2014 as SEED

SEED_GENERAL_OBJECTIVES = [
    "Cultiver et servir le territoire",
    "Élaborer et conduire un projet global basé sur la coopération",
    "Développer une économie intégrée à la vie du territoire",
]


def test_working_version_has_exactly_36_questions_in_3_x_3_x_4(version):
    assert version.is_working_version
    assert version.is_published
    assert Indicator.objects.filter(version=version).count() == 36
    assert GeneralObjective.objects.filter(version=version).count() == 3
    assert PrincipalObjective.objects.filter(version=version).count() == 9
    for principal in PrincipalObjective.objects.filter(version=version):
        codes = sorted(principal.indicators.values_list("code", flat=True))
        assert codes == [f"{principal.code}.{n}" for n in range(1, 5)]
        assert principal.short_title and len(principal.short_title) <= 40


def test_general_objectives_are_the_seed_words(version):
    titles = list(
        GeneralObjective.objects.filter(version=version)
        .order_by("position")
        .values_list("title", flat=True)
    )
    assert titles == SEED_GENERAL_OBJECTIVES


def test_general_objectives_are_quoted_in_the_seed_document():
    text = re.sub(r"\s+", " ", SEED.read_text(encoding="utf-8"))
    for title in SEED_GENERAL_OBJECTIVES:
        assert f"« {title} »" in text


def test_seed_is_idempotent(version):
    call_command("seed_ptce", "--only", "referential", stdout=io.StringIO())
    call_command("seed_ptce", "--only", "referential", stdout=io.StringIO())
    assert ReferentialVersion.objects.count() == 1
    assert Indicator.objects.count() == 36
    assert current_version() == version


def test_presentation_page_shows_the_tree_and_the_quote(client, version):
    response = client.get("/referentiel/")
    assert response.status_code == 200
    html = response.content.decode()
    for title in SEED_GENERAL_OBJECTIVES:
        assert title in html
    assert html.count('class="question"') == 36
    assert (
        "qui n’est pas une grille de découpage analytique de la réalité mais un outil "
        "transversal de co-évolution" in html
    )
    assert "Version de travail" in html


def test_presentation_without_any_version(client, db):
    response = client.get("/referentiel/")
    assert response.status_code == 200
    assert "Aucune version" in response.content.decode()
