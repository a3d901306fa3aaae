import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from poles import csv_import
from poles.models import FactSource, Pole
from tests.factories import StaffFactory
from tests.poles.factories import PoleFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/poles/pole/import-csv/"
HEADER = "slug;nom;structure_porteuse;statut;departements;commune;latitude;longitude;themes;publie"


def upload(client, content: bytes, name="poles.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_admin_lists_filters_and_searches(staff_client, seeded_poles):
    response = staff_client.get("/admin/poles/pole/", {"q": "écossolies"})
    assert response.status_code == 200
    assert "Les Écossolies" in response.content.decode()
    response = staff_client.get("/admin/poles/pole/", {"former_region__id__exact": 1})
    assert response.status_code == 200
    assert "Importer un CSV" in staff_client.get("/admin/poles/pole/").content.decode()


def test_bulk_publish_and_unpublish(staff_client):
    poles = [PoleFactory(is_published=False) for _ in range(3)]
    ids = [p.pk for p in poles]
    staff_client.post(
        "/admin/poles/pole/", {"action": "publish", "_selected_action": ids[:2]}, follow=True
    )
    assert Pole.objects.filter(is_published=True).count() == 2
    staff_client.post("/admin/poles/pole/", {"action": "unpublish", "_selected_action": ids[:1]})
    assert Pole.objects.filter(is_published=True).count() == 1


def test_admin_csv_export(staff_client, seeded_poles):
    ids = list(Pole.objects.values_list("pk", flat=True))
    response = staff_client.post(
        "/admin/poles/pole/", {"action": "export_csv", "_selected_action": ids}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 41


def test_import_dry_run_then_confirm(staff_client, seeded_poles):
    content = (
        HEADER + "\n"
        ";Pôle des Deux Rives;Asso Rives;engagé dans la démarche;44;Nantes;47,22;-1,55;"
        "Éco-activités;oui\n"
        "ptce-nola;PTCE NOLA - Nord-Ouest de la Loire-Atlantique;IDEAL;signatory;44;;;;;oui\n"
    ).encode()
    response = upload(staff_client, content)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.ok and report.to_create == 1 and report.to_update == 1
    assert not Pole.objects.filter(name="Pôle des Deux Rives").exists()  # dry run wrote nothing
    token = response.context["token"]
    response = staff_client.post(IMPORT_URL, {"confirm": "1", "token": token}, follow=True)
    assert "1 pôle(s) créé(s), 1 mis à jour" in response.content.decode()
    pole = Pole.objects.get(name="Pôle des Deux Rives")
    assert pole.status == "engaged" and pole.is_published and pole.slug == "pole-des-deux-rives"
    assert (pole.latitude, pole.longitude) == (47.22, -1.55)
    assert pole.region.code == "pays-de-la-loire"
    assert [t.slug for t in pole.themes.all()] == ["eco-activites"]
    assert Pole.objects.count() == 41


def test_export_reimports_unchanged(staff_client, client, seeded_poles):
    exported = client.get("/api/poles.csv").content
    report = csv_import.parse(exported)
    assert report.ok, (report.errors, [r.errors for r in report.rows_with_errors])
    assert report.to_update == 40 and report.to_create == 0


def test_export_neutralises_formulas_and_reimports_them(client, seeded_poles):
    pole = Pole.objects.get(slug="ptce-nola")
    pole.carrier_structure = '=HYPERLINK("http://x")'
    pole.save()
    exported = client.get("/api/poles.csv").content
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig")), delimiter=";"))
    record = dict(zip(rows[0], next(r for r in rows if r[0] == "ptce-nola"), strict=True))
    assert record["structure_porteuse"] == '\'=HYPERLINK("http://x")'
    assert record["longitude"].startswith("-1,")  # a negative number stays a number
    report = csv_import.parse(exported)
    assert report.ok and report.to_update == 40
    row = next(r for r in report.rows if r.name.startswith("PTCE NOLA"))
    assert row.data["carrier_structure"] == '=HYPERLINK("http://x")'


def test_row_level_errors_write_nothing(staff_client, seeded_poles):
    content = (
        HEADER + "\n"
        ";Bon pôle;;;44;;;;;oui\n"
        ";;Sans nom;;44;;;;;\n"
        ";Mauvais département;;;99;;;;;\n"
        ";Hors de France;;;44;;40,7;-73,9;;\n"
        ";Statut inconnu;;fantaisie;44;;;;;\n"
        ";Thème inconnu;;;44;;;;Astronautique;\n"
        ";Latitude seule;;;44;;47,2;;;\n"
        ";Oui non;;;44;;;;;peut-être\n"
    ).encode()
    response = upload(staff_client, content)
    report = response.context["report"]
    assert not report.ok
    errors = {row.line: " ".join(row.errors) for row in report.rows}
    assert errors[2] == ""
    assert "nom est obligatoire" in errors[3]
    assert "Département(s) inconnu(s) : 99" in errors[4]
    assert "hors de France" in errors[5]
    assert "fantaisie" in errors[6]
    assert "Astronautique" in errors[7]
    assert "latitude et la longitude" in errors[8]
    assert "oui ou non" in errors[9]
    assert "token" not in response.context
    assert "Rien n'a été importé" in response.content.decode()
    assert Pole.objects.count() == 40


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("nom;departements\nPôle;44\n".encode("cp1252"), "pas encodé en UTF-8"),
        (b"nom,departements\nP,44\n", "point-virgule"),
        (b"nom;ville\nP;Nantes\n", "Colonnes obligatoires manquantes : departements"),
        (b"nom;departements;couleur\nP;44;bleu\n", "Colonnes inconnues : couleur"),
        (b"nom;departements\n", "aucune ligne"),
    ],
)
def test_file_level_errors(staff_client, seeded_poles, content, message):
    response = upload(staff_client, content)
    assert response.status_code == 200
    assert message in " ".join(response.context["report"].errors)
    assert Pole.objects.count() == 40


def test_empty_upload_is_refused(staff_client, seeded_poles):
    response = upload(staff_client, b"")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert Pole.objects.count() == 40


def test_oversized_file_is_refused(staff_client, seeded_poles):
    content = (HEADER + "\n").encode() + b";" * (csv_import.MAX_BYTES + 10)
    response = upload(staff_client, content)
    assert response.status_code == 200
    assert "taille maximale" in response.content.decode()
    assert Pole.objects.count() == 40


def test_confirm_with_a_stale_token_writes_nothing(staff_client, seeded_poles):
    response = staff_client.post(IMPORT_URL, {"confirm": "1", "token": "nope"}, follow=True)
    assert "expiré" in response.content.decode()
    assert Pole.objects.count() == 40


def test_an_unchanged_reimport_keeps_every_source(client, staff, seeded_poles):
    """Re-importing the export changes no fact, so no fact becomes the team's."""
    before = set(FactSource.objects.values_list("pole_id", "fact", "kind", "source_id"))
    report = csv_import.parse(client.get("/api/poles.csv").content)
    assert csv_import.apply(report, by=staff) == (0, 40)
    assert set(FactSource.objects.values_list("pole_id", "fact", "kind", "source_id")) == before


def test_an_import_that_changes_a_fact_makes_it_the_teams(staff, seeded_poles):
    """As in the change form: what staff's import changed is « renseigné par l'équipe »."""
    pole = Pole.objects.get(slug="ptce-nola")
    assert pole.fact_sources.get(fact="carrier_structure").kind == FactSource.Kind.REPORT
    name = pole.fact_sources.get(fact="name")
    content = (HEADER + f"\nptce-nola;{pole.name};Nouvelle structure;;44;;;;;oui\n").encode()
    report = csv_import.parse(content)
    assert report.ok, [r.errors for r in report.rows_with_errors]
    csv_import.apply(report, by=staff)
    carrier = pole.fact_sources.get(fact="carrier_structure")
    assert carrier.kind == FactSource.Kind.STAFF and carrier.entered_on == timezone.localdate()
    assert pole.fact_sources.get(fact="name") == name  # unchanged, still the report's


def test_import_is_all_or_nothing(seeded_poles, monkeypatch):
    content = (HEADER + "\n;Premier;;;44;;;;;\n;Second;;;44;;;;;\n").encode()
    report = csv_import.parse(content)
    assert report.ok
    original_save = Pole.save

    def failing_save(self, *args, **kwargs):
        if self.name == "Second":
            raise RuntimeError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Pole, "save", failing_save)
    with pytest.raises(RuntimeError):
        csv_import.apply(report, by=StaffFactory())
    assert not Pole.objects.filter(name="Premier").exists()


def test_revision_admin_apply(staff_client):
    from poles.models import PoleRevision

    pole = PoleFactory(carrier_structure="Ancienne")
    revision = PoleRevision.objects.create(
        pole=pole, data={"carrier_structure": "Nouvelle", "members": []}
    )
    staff_client.post(
        "/admin/poles/polerevision/",
        {"action": "apply_revisions", "_selected_action": [revision.pk]},
    )
    pole.refresh_from_db()
    assert pole.carrier_structure == "Nouvelle"


def test_revision_admin_shows_the_differences(staff_client):
    from poles.models import PoleRevision

    pole = PoleFactory(carrier_structure="Ancienne", town="Lyon")
    revision = PoleRevision.objects.create(
        pole=pole,
        data={
            "carrier_structure": "Nouvelle",
            "town": "Lyon",
            "members": [{"name": "Coop X", "category": "ess"}],
        },
    )
    html = staff_client.get(f"/admin/poles/polerevision/{revision.pk}/change/").content.decode()
    assert "Ancienne" in html and "Nouvelle" in html and "Coop X" in html
