import datetime
import io
import shutil
import subprocess

import pytest
from django.core.management import call_command

from charter import selectors, services
from charter.models import CharterVersion, Countersignature, Signature
from charter.pdf import signature_pdf
from poles.models import Pole
from tests.pdfs import assert_tagged_pdf

from .conftest import signature_data

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_holds_the_2014_charter(seeded_charter):
    call_command("seed_ptce", "--only", "poles", "charter", stdout=io.StringIO())
    version = CharterVersion.objects.get()
    assert version.is_current and version.published_at == datetime.date(2014, 9, 19)
    assert [s.numeral for s in version.sections.all()] == ["I", "II", "III", "IV", "V"]
    assert version.sections.get(numeral="III").items.count() == 7
    assert "ne relève pas d’un principe de labellisation" in version.footnote
    signatures = Signature.objects.filter(version=version)
    assert signatures.count() == 40
    assert set(signatures.values_list("status", flat=True)) == {"validated"}
    assert set(signatures.values_list("place", flat=True)) == {"Paris (Bercy)"}
    assert set(signatures.values_list("signed_on", flat=True)) == {datetime.date(2014, 9, 19)}
    # Nobody invented: no representative for the poles of 2014.
    assert not signatures.exclude(representative_last_name="").exists()
    assert sorted(signatures.values_list("register_number", flat=True)) == list(range(1, 41))
    assert Countersignature.objects.filter(version=version).count() == 6
    delga = Countersignature.objects.get(person="Carole Delga")
    assert "secrétaire d’État" in delga.role
    assert Pole.objects.filter(status=Pole.Status.SIGNATORY, signatures__isnull=False).count() == 40


def test_seed_skips_missing_poles_with_a_warning(db):
    from charter import seed

    out = io.StringIO()
    seed.run(stdout=out)
    assert "ecooparc" in out.getvalue() and "ignorée" in out.getvalue()
    assert CharterVersion.objects.count() == 1 and not Signature.objects.exists()


def test_signatories_page_lists_the_40_poles_of_2014(
    client, seeded_charter, django_assert_max_num_queries
):
    # flat: as many queries for 40 rows as for 2 (the page's rows and their count)
    with django_assert_max_num_queries(9):
        response = client.get("/charte/signataires/")
    html = response.content.decode()
    assert "40 pôles signataires" in html
    for slug in ("ecooparc", "culture-cooperation", "pole-sud", "ptce-niortais"):
        assert f"/poles/{slug}/" in html
    assert html.count('<th scope="row">') == 40
    with django_assert_max_num_queries(8):
        assert client.get("/charte/").status_code == 200
    with django_assert_max_num_queries(4):
        csv_body = client.get("/charte/signataires/export.csv").content.decode()
    assert len(csv_body.strip().splitlines()) == 41
    day = list(selectors.validated_signatures_on(datetime.date(2014, 9, 19)))
    assert len(day) == 40 and day[0].register_number == 1


def _pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_signed_pdf_holds_pole_signer_code_and_french_typography(
    client, charter_version, coordinator, staff
):
    pole = coordinator.coordinated_pole
    signature = services.signature_submit(
        user=coordinator, data=signature_data(coordinator), pole=pole
    )
    services.signature_validate(signature=signature, by=staff)
    client.force_login(coordinator)
    response = client.get(signature.get_pdf_url())
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert "Pôle Coopération Rhône" in text
    assert "Camille Durand" in text  # the typed signature
    assert "DURAND Camille" in text
    assert signature.verification_code in text
    # The printed URL may break before the code, never inside it (typed from paper).
    assert f"{signature.verification_code}/" in text
    assert "Principes d’action partagés" in text
    assert "«\u202fUn Pôle Territorial" in text or "« Un Pôle Territorial" in text
    assert "Certificat de signature" in text
    pages = assert_tagged_pdf(response.content, title="Pôle Coopération Rhône")
    assert "595.276 x 841.89 pts (A4)" in pages


def test_pdf_of_a_seeded_signature_says_handwritten(seeded_charter, staff):
    signature = Signature.objects.select_related("pole", "version").get(register_number=1)
    text = _pdf_text(signature_pdf(signature))
    assert signature.pole.name in text
    assert signature.verification_code in text
    assert "Paris (Bercy)" in text and "19 septembre 2014" in text


def test_signatories_sort_in_french_order(client, seeded_charter):
    if not selectors._has_french_collation():
        pytest.skip("PostgreSQL without ICU: byte order")
    html = client.get("/charte/signataires/", {"tri": "region"}).content.decode()
    assert html.index("Franche-Comté") < html.index("Île-de-France") < html.index("Limousin")
    html = client.get("/charte/signataires/", {"tri": "pole"}).content.decode()
    assert html.index("CoopAxis") < html.index("Le Damier") < html.index("Paris Mix")
