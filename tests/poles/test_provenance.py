"""Where the facts of a pole come from (poles.models.Source and FactSource): the seed gives
each fact that annex 3 does not give its source or marks it as an inference; what no document
gives is « non renseigné »; a coordinator's edit replaces the source with « renseigné par le
pôle » and the date, staff's edit (service or admin form) with « renseigné par l'équipe »;
staff find the poles whose facts are still deduced."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape

from poles import reference, seed, services
from poles.models import FactSource, Pole, Source
from tests.admin_forms import admin_form_data
from tests.factories import UserFactory
from tests.poles.factories import PoleCoordinatorFactory
from tests.sources import in_report

pytestmark = pytest.mark.django_db

ANNEX_3 = "annexe 3, « Liste des 40 pôles signataires »"


def _facts(pole):
    return {f.fact: f for f in pole.fact_sources.select_related("source")}


def test_every_signatory_has_the_annex_as_source_of_its_identity(seeded_poles):
    report = Source.objects.get(key="rapport-2014")
    assert report.kind == Source.Kind.REPORT
    for pole in Pole.objects.filter(signatory_number__isnull=False):
        facts = _facts(pole)
        for fact in ("name", "territory"):
            assert facts[fact].source == report and facts[fact].part == ANNEX_3, pole.slug
        # The map's point is never a fact: the town's centre or the chef-lieu, marked.
        assert facts["position"].kind == FactSource.Kind.INFERENCE, pole.slug
        assert "approximative" in facts["position"].inference


def test_a_town_is_sourced_or_marked_inferred_and_unknown_otherwise(seeded_poles):
    rows = {row["slug"]: row for row in reference.signatory_poles()}
    for pole in Pole.objects.filter(signatory_number__isnull=False):
        facts = _facts(pole)
        if not pole.town:
            assert "town" not in facts, pole.slug
            continue
        town = facts["town"]
        assert town.kind in (
            FactSource.Kind.REPORT,
            FactSource.Kind.DOCUMENT,
            FactSource.Kind.INFERENCE,
        ), pole.slug
        if town.kind == FactSource.Kind.REPORT:
            # The report's part quotes the words that give the town.
            quote = town.part.rsplit("« ", 1)[1].split(" »")[0]
            assert rows[pole.slug]["town"] in quote and in_report(quote), pole.slug
    # Found by the issue: these towns do not come from the report.
    expected = {
        "ptce-sud-aquitain": FactSource.Kind.DOCUMENT,  # Tarnos
        "eclis": FactSource.Kind.DOCUMENT,  # Dinan
        "clus-ter-jura": FactSource.Kind.DOCUMENT,  # Lons-le-Saunier
        "phares": FactSource.Kind.DOCUMENT,  # L'Île-Saint-Denis
        "pole-tarnais-de-cooperation-economique": FactSource.Kind.DOCUMENT,  # Castres
        "les-ecossolies-le-solilab": FactSource.Kind.DOCUMENT,  # Nantes
        "pole-sud": FactSource.Kind.DOCUMENT,  # Romans-sur-Isère
        "florange-e2i": FactSource.Kind.INFERENCE,
        "ptce-niortais": FactSource.Kind.INFERENCE,
        "ptce-oser-reso": FactSource.Kind.INFERENCE,
    }
    for slug, kind in expected.items():
        assert _facts(Pole.objects.get(slug=slug))["town"].kind == kind, slug


def test_interpreted_territories_and_inferred_themes_are_marked(seeded_poles):
    fontaine = _facts(Pole.objects.get(slug="fontaine-o-livres"))
    assert fontaine["departments"].kind == FactSource.Kind.INFERENCE
    assert "Nord-Est Francilien" in fontaine["departments"].inference
    sud_aquitain = _facts(Pole.objects.get(slug="ptce-sud-aquitain"))
    assert "Pays Basque" in sud_aquitain["departments"].inference
    # A pole with themes says where they come from.
    for pole in Pole.objects.filter(
        signatory_number__isnull=False, themes__isnull=False
    ).distinct():
        assert "themes" in _facts(pole), pole.slug
    # Themes guessed from nothing were removed.
    assert not Pole.objects.get(slug="clus-ter-jura").themes.exists()
    assert not Pole.objects.get(slug="bou-sol").themes.exists()


def test_unknown_facts_are_not_renseigne(seeded_poles):
    signatories = Pole.objects.filter(signatory_number__isnull=False)
    # The report does not say which signatories were constituted: no default maturity.
    assert set(signatories.values_list("maturity", flat=True)) == {"", "emerging"}
    figeac = Pole.objects.get(slug="ptce-en-emergence-autour-des-fermes-de-figeac")
    assert _facts(figeac)["maturity"].inference.startswith("déduit du nom du pôle")
    assert Pole(maturity="").get_maturity_display() == "non renseigné"
    # No. 33: annex 3 gives no carrier structure; none is inferred from the name.
    no33 = Pole.objects.get(signatory_number=33)
    assert no33.carrier_structure == "" and "carrier_structure" not in _facts(no33)


def test_every_laureate_flag_has_its_source(seeded_poles):
    for pole in Pole.objects.filter(calls_won__isnull=False).distinct():
        assert _facts(pole)["laureate"].kind in (
            FactSource.Kind.REPORT,
            FactSource.Kind.DOCUMENT,
        ), pole.slug


def test_descriptions_add_nothing_to_the_report(seeded_poles):
    for pole in Pole.objects.exclude(description=""):
        assert _facts(pole)["description"].kind == FactSource.Kind.REPORT, pole.slug
        assert "selon son coordinateur" not in pole.description


def test_a_coordinators_edit_replaces_the_source_with_the_pole(seeded_poles):
    pole = Pole.objects.get(slug="florange-e2i")
    user = UserFactory()
    PoleCoordinatorFactory(pole=pole, user=user)
    assert _facts(pole)["town"].kind == FactSource.Kind.INFERENCE
    data = {"town": "Florange", "maturity": "existing", "themes": list(pole.themes.all())}
    services.pole_update_profile(pole=pole, by=user, cleaned_data=data, members=[])
    facts = _facts(pole)
    # Maturity changed: now the pole's word, dated. The town did not change: still deduced.
    assert facts["maturity"].kind == FactSource.Kind.POLE
    assert facts["maturity"].entered_on == timezone.localdate()
    assert facts["maturity"].label().startswith("Renseigné par le pôle le ")
    assert facts["town"].kind == FactSource.Kind.INFERENCE
    # A new seed keeps what the pole entered.
    seed.run(stdout=io.StringIO())
    pole.refresh_from_db()
    assert pole.maturity == "existing"
    assert _facts(pole)["maturity"].kind == FactSource.Kind.POLE


def test_a_staff_edit_is_marked_as_the_teams(seeded_poles, staff):
    pole = Pole.objects.get(slug="ptce-niortais")
    services.pole_update_profile(
        pole=pole, by=staff, cleaned_data={"town": "Niort-Sud"}, members=[]
    )
    assert _facts(pole)["town"].kind == FactSource.Kind.STAFF


def _admin_change(staff_client, pole, **changes):
    """Staff submit the pole's admin change form with `changes` (its other values as shown)."""
    url = f"/admin/poles/pole/{pole.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    data.update(changes)
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return data


def _kinds(pole):
    return {
        fact: (row.kind, row.source_id, row.part, row.entered_on)
        for fact, row in _facts(pole).items()
    }


def test_a_staff_edit_in_the_admin_is_marked_as_the_teams(seeded_poles, staff_client, client):
    """The admin's change form records what staff change as the staff service does."""
    pole = Pole.objects.get(slug="florange-e2i")
    before = _facts(pole)
    assert before["town"].kind == FactSource.Kind.INFERENCE
    assert before["name"].kind == FactSource.Kind.REPORT
    _admin_change(staff_client, pole, town="Uckange", maturity="existing", latitude="49.3211")
    facts = _facts(pole)
    for fact in ("town", "maturity", "position"):
        assert facts[fact].kind == FactSource.Kind.STAFF, fact
        assert facts[fact].entered_on == timezone.localdate()
        assert facts[fact].source_id is None and not facts[fact].inference
        assert facts[fact].label().startswith("Renseigné par l'équipe du portail le ")
    # What staff did not change keeps its source.
    assert facts["name"].kind == FactSource.Kind.REPORT
    assert facts["name"].part == before["name"].part
    # The pole page says so beside the town.
    pole.is_published = True
    pole.save()
    html = client.get(pole.get_absolute_url()).content.decode()
    assert escape("Renseigné par l'équipe du portail le ") in html


def test_saving_the_admin_form_unchanged_keeps_every_source(seeded_poles, staff_client):
    pole = Pole.objects.get(slug="florange-e2i")
    before = _kinds(pole)
    _admin_change(staff_client, pole)
    assert _kinds(pole) == before


def test_a_source_staff_set_in_the_inline_is_kept(seeded_poles, staff_client):
    """Staff change the town and, in the same form, give its source: the source stays."""
    pole = Pole.objects.get(slug="florange-e2i")
    document = Source.objects.exclude(key="rapport-2014").first()
    url = f"/admin/poles/pole/{pole.pk}/change/"
    data = admin_form_data(staff_client.get(url))
    prefix = next(
        key.removesuffix("-fact")
        for key, value in data.items()
        if key.startswith("fact_sources-") and key.endswith("-fact") and value == "town"
    )
    data.update(
        {
            "town": "Uckange",
            "maturity": "existing",
            f"{prefix}-kind": FactSource.Kind.DOCUMENT,
            f"{prefix}-source": str(document.pk),
            f"{prefix}-part": "page 4",
            f"{prefix}-inference": "",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    facts = _facts(pole)
    assert (facts["town"].kind, facts["town"].source_id, facts["town"].part) == (
        FactSource.Kind.DOCUMENT,
        document.pk,
        "page 4",
    )
    assert facts["maturity"].kind == FactSource.Kind.STAFF


def test_recording_an_edit_is_refused_to_whoever_may_not_edit_the_pole(seeded_poles):
    pole = Pole.objects.get(slug="florange-e2i")
    with pytest.raises(PermissionDenied):
        services.pole_record_edit(pole=pole, by=UserFactory(), fields=["town"])
    assert _facts(pole)["town"].kind == FactSource.Kind.INFERENCE


def test_the_database_refuses_a_source_without_its_document_or_reasoning(seeded_poles):
    pole = Pole.objects.get(slug="le-damier")
    with transaction.atomic(), pytest.raises(IntegrityError):
        FactSource.objects.create(pole=pole, fact="town", kind=FactSource.Kind.DOCUMENT)
    with transaction.atomic(), pytest.raises(IntegrityError):
        FactSource.objects.create(pole=pole, fact="town", kind=FactSource.Kind.INFERENCE)
    with transaction.atomic(), pytest.raises(IntegrityError):
        FactSource.objects.create(pole=pole, fact="town", kind=FactSource.Kind.POLE)


def test_admin_shows_and_edits_sources_and_lists_poles_with_deduced_facts(
    seeded_poles, staff_client
):
    pole = Pole.objects.get(slug="florange-e2i")
    html = staff_client.get(f"/admin/poles/pole/{pole.pk}/change/").content.decode()
    assert "Sources des faits" in html and "déduit du nom du pôle" in html
    listing = staff_client.get("/admin/poles/pole/?deduits=seuls").content.decode()
    assert "Florange e2i" in listing and "Le Damier" not in listing
    listing = staff_client.get("/admin/poles/pole/?deduits=non").content.decode()
    assert "Le Damier" in listing and "Florange e2i" not in listing
    assert staff_client.get("/admin/poles/source/").status_code == 200
    source = Source.objects.get(key="referentiel-v37")
    assert staff_client.get(f"/admin/poles/source/{source.pk}/change/").status_code == 200


# --- Shown where the fact is shown ------------------------------------------------------------

# The open data's fields that carry a fact, and the fact that gives their source.
OPEN_DATA_FACTS = {
    "nom": "name",
    "structure_porteuse": "carrier_structure",
    "territoire": "territory",
    "ancienne_region": "territory",
    "departements": "departments",
    "commune": "town",
    "latitude": "position",
    "maturite": "maturity",
    "themes": "themes",
    "laureat": "laureate",
    "description_courte": "description",
}


def test_every_fact_in_the_open_data_has_its_source_or_is_empty(seeded_portal, client):
    document = client.get("/api/poles.json").json()
    assert len(document["poles"]) == 40
    for record in document["poles"]:
        for field, fact in OPEN_DATA_FACTS.items():
            value = record[field]
            if value in ("", [], None, False):
                continue  # « non renseigné »
            source = record["sources_detail"].get(fact)
            assert source and source["label"], (record["slug"], field)
            assert source["kind"] in {"report", "document", "inference", "pole", "staff"}
    by_slug = {r["slug"]: r for r in document["poles"]}
    florange = by_slug["florange-e2i"]["sources_detail"]
    assert florange["town"] == {
        "kind": "inference",
        "label": "Déduit du nom du pôle (« Florange e2i »)",
        "url": "",
    }
    sud = by_slug["ptce-sud-aquitain"]["sources_detail"]["town"]
    assert sud["kind"] == "document" and "studylibfr.com" in sud["url"]
    assert "Le référentiel d'action d'un PTCE" in sud["label"]


def test_the_csv_and_geojson_carry_the_sources(seeded_portal, client):
    csv_text = client.get("/api/poles.csv").content.decode("utf-8-sig")
    header, *rows = csv_text.splitlines()
    assert header.split(";")[-1] == "sources"
    florange = next(row for row in rows if row.startswith("florange-e2i;"))
    assert "commune : Déduit du nom du pôle (« Florange e2i »)" in florange
    features = client.get("/api/poles.geojson").json()["features"]
    phares = next(f for f in features if f["id"] == "phares")["properties"]["sources"]
    assert phares["town"]["kind"] == "document" and "mediatico.fr" in phares["town"]["url"]
    assert phares["laureate"]["kind"] == "document"


def test_the_pole_page_shows_each_source_beside_its_fact(seeded_portal, client):
    html = client.get("/poles/florange-e2i/").content.decode()
    assert escape("Déduit du nom du pôle (« Florange e2i »)") in html
    assert escape("Déduit du nom du pôle (« Ecologie Industrielle et Insertion »)") in html
    assert 'href="/sources/#source-rapport-2014"' in html
    # Unknown facts are « non renseigné », never a default.
    html = client.get("/poles/le-damier/").content.decode()
    assert html.count("non renseigné") >= 3  # town, carrier structure, maturity, themes
    assert "Pôle existant" not in html and "existant" not in html
    html = client.get("/poles/ptce-sud-aquitain/").content.decode()
    assert "« Nord-Est Francilien »" not in html
    assert escape("« Landes, Pays Basque » lu comme") in html
    assert escape("référentiel d'action des PTCE, v3.7 (2014)") in html
    html = client.get("/poles/la-coursive-boutaric/").content.decode()
    assert escape("Bien que la Coursive Boutaric ait été lauréat") in html
    # Lists say it too: the directory's cards and the map's list of poles.
    for url in ("/poles/?departement=57", "/carte/?departement=57"):
        html = client.get(url).content.decode()
        assert "Florange" in html and "(commune déduite)" in html, url
    html = client.get("/poles/?departement=26").content.decode()
    assert escape("(source : référentiel d'action des PTCE, v3.7 (2014))") in html


def test_every_seeded_fact_on_the_pole_pages_has_its_source_or_is_unknown(seeded_portal, client):
    for pole in Pole.objects.filter(signatory_number__isnull=False).prefetch_related(
        "fact_sources__source"
    ):
        html = client.get(pole.get_absolute_url()).content.decode()
        for fact in pole.fact_sources.all():
            if fact.fact == "position":
                continue  # the map's caption says « position approximative »
            if fact.fact == "description" and not pole.description:
                continue
            assert escape(fact.short_label()) in html, (pole.slug, fact.fact)
        if not pole.town:
            assert "non renseignée" in html, pole.slug


def test_the_sources_page_lists_every_source_and_the_rule(seeded_portal, client):
    html = client.get("/sources/").content.decode()
    assert "le portail n'invente rien" in html
    for source in Source.objects.all():
        assert f'id="source-{source.key}"' in html
    assert "Nord-Est Francilien" in html  # an inference, with its reasoning
    assert "Premier appel à projets national PTCE" in html
    assert 'href="/sources/"' in client.get("/donnees/").content.decode()
    assert 'href="/sources/"' in client.get("/").content.decode()  # the footer
