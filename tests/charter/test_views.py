import csv
import html
import io

import pytest
from django.test import Client

from charter import services
from charter.models import Signature
from poles.models import Pole

from .conftest import form_data, signature_data
from .factories import PoleFactory, SignatureFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_charter_page_shows_the_2014_text(client, charter_version):
    response = client.get("/charte/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Charte de la démarche collective PTCE" in html
    assert "Préambule" in html and "Principes d’action partagés" in html
    assert "Le LABO de l’ESS, 2010" in html
    assert "ne relève pas d’un principe de labellisation" in html
    assert 'href="/charte/signer/"' in html and 'href="/charte/signataires/"' in html
    # French typography: no-break space before the colon, narrow ones inside « ».
    assert "«&#8239;Un Pôle Territorial" in html
    assert "\u00a0:" in html


def test_earlier_versions_stay_readable(client, charter_version, staff):
    draft = services.charter_version_copy(version=charter_version)
    assert client.get("/charte/versions/2/").status_code == 404  # a draft is not public
    services.charter_version_publish(version=draft)
    response = client.get("/charte/versions/1/")
    assert response.status_code == 200
    assert "version antérieure" in response.content.decode()
    assert client.get("/charte/versions/2/").status_code == 302
    assert client.get("/charte/versions/99/").status_code == 404


def test_signing_requires_login(client, charter_version):
    response = client.get("/charte/signer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")


def test_signing_requires_a_verified_email(client, charter_version):
    client.force_login(UserFactory(verified=False))
    response = client.get("/charte/signer/")
    assert response.status_code == 403
    assert "Confirmez d'abord votre adresse e-mail" in response.content.decode()


def test_sign_with_preview_then_confirm(
    client, charter_version, coordinator, staff, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    pole = coordinator.coordinated_pole
    response = client.get("/charte/signer/")
    assert response.status_code == 200
    assert pole.name in response.content.decode()

    data = form_data(coordinator, pole=pole.pk)
    response = client.post("/charte/signer/", {**data, "action": "preview"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Je confirme et je signe" in html
    assert "Principes d’action partagés" in html  # the filled charter is shown
    assert "DURAND Camille" in html
    assert not Signature.objects.exists()

    with_edit = client.post("/charte/signer/", {**data, "action": "edit"})
    assert with_edit.status_code == 200 and "Relire avant de signer" in with_edit.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/charte/signer/", {**data, "action": "confirm"})
    signature = Signature.objects.get()
    assert response.status_code == 302
    assert response["Location"] == signature.get_absolute_url()
    assert signature.representative_phone == "04 72 00 00 00"
    assert len(mailoutbox) == 2

    # Double submit / second attempt: nothing new, the existing signature is shown.
    response = client.post("/charte/signer/", {**data, "action": "confirm"}, follow=True)
    assert Signature.objects.count() == 1
    assert "a déjà une signature" in response.content.decode()
    assert response.redirect_chain[-1][0] == signature.get_absolute_url()
    response = client.get("/charte/signer/")
    assert signature.get_absolute_url() in response.content.decode()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"commitment_build": None}, "Cet engagement est nécessaire"),
        ({"commitment_community": None}, "Cet engagement est nécessaire"),
        ({"representative_email": "autre@exemple.fr"}, "adresses e-mail vérifiées"),
        ({"representative_phone": "06 12"}, "numéro de téléphone n'est pas valide"),
        ({"representative_phone": "pas un numéro"}, "numéro de téléphone n'est pas valide"),
        ({"pole": "nouveau", "new_pole_name": ""}, "intitulé du nouveau pôle"),
        ({"representative_last_name": ""}, "Ce champ est obligatoire"),
        ({"stage": "label"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_gives_a_clear_message_and_saves_nothing(
    client, charter_version, coordinator, overrides, message
):
    client.force_login(coordinator)
    data = form_data(coordinator, **{"pole": coordinator.coordinated_pole.pk, **overrides})
    for action in ("preview", "confirm"):
        response = client.post("/charte/signer/", {**data, "action": action})
        assert response.status_code == 422
        assert message in html.unescape(response.content.decode())
    assert not Signature.objects.exists()
    assert Pole.objects.count() == 1


def test_signing_for_a_pole_one_does_not_coordinate(client, charter_version, coordinator):
    other = PoleFactory()
    client.force_login(coordinator)
    data = form_data(coordinator, pole=other.pk)
    response = client.post("/charte/signer/", {**data, "action": "confirm"})
    assert response.status_code == 422
    assert "Vous ne pouvez pas signer pour ce pôle" in response.content.decode()
    response = client.post("/charte/signer/", {**data, "pole": "abc", "action": "confirm"})
    assert response.status_code == 422
    assert not Signature.objects.exists()


def test_sign_for_a_new_pole(client, charter_version):
    from tests.poles.factories import DepartmentFactory

    drome = DepartmentFactory(code="26", name="Drôme", latitude=44.93, longitude=4.89)
    user = UserFactory()
    client.force_login(user)
    data = form_data(user, pole="nouveau", new_pole_name="Pôle des Communs du Vercors")
    response = client.post("/charte/signer/", {**data, "action": "preview"})
    assert response.status_code == 422
    assert "Indiquez le département du nouveau pôle" in response.content.decode()
    data["new_pole_department"] = drome.pk
    response = client.post("/charte/signer/", {**data, "action": "preview"})
    assert "sera proposé comme nouveau pôle (Drôme (26))" in response.content.decode()
    client.post("/charte/signer/", {**data, "action": "confirm"})
    client.post("/charte/signer/", {**data, "action": "confirm"})  # double submit
    signature = Signature.objects.get()
    pole = signature.pole
    assert pole.name == "Pôle des Communs du Vercors"
    assert not pole.is_published
    assert list(pole.departments.all()) == [drome]
    assert pole.region == drome.region and pole.latitude == 44.93
    assert Pole.objects.filter(name="Pôle des Communs du Vercors").count() == 1
    # The signer follows it while it waits, but cannot download a PDF yet.
    assert client.get(signature.get_absolute_url()).status_code == 200
    assert client.get(signature.get_pdf_url()).status_code == 404


def test_verification_page(client, charter_version, staff):
    signature = SignatureFactory(version=charter_version)
    response = client.get(signature.get_verification_url())
    assert response.status_code == 200
    assert "en attente de validation" in response.content.decode()
    services.signature_validate(signature=signature, by=staff)
    response = client.get(f"/charte/verifier/{signature.verification_code.lower()}/")
    html = response.content.decode()
    assert "Signature valide" in html and signature.pole.name in html
    # Consent given: the representative's name, nothing else personal.
    assert "Camille Durand" in html
    assert signature.representative_email not in html and "04 72" not in html
    Signature.objects.filter(pk=signature.pk).update(consent_publication=False)
    assert "Camille Durand" not in client.get(signature.get_verification_url()).content.decode()


@pytest.mark.parametrize(
    "code", ["AAAA-BBBB-CCCC-DDDD", "nimportequoi", "AAAA-BBBB-CCCC-DDDD-EEEE", "%27%20OR%201=1"]
)
def test_forged_codes_get_a_clear_404(client, charter_version, code):
    SignatureFactory(version=charter_version)
    response = client.get(f"/charte/verifier/{code}/")
    assert response.status_code == 404
    assert "Code de vérification inconnu" in response.content.decode()
    response = client.get("/charte/verifier/", {"code": code}, follow=True)
    assert response.status_code == 404


def test_verify_form_redirects_to_the_code(client, charter_version):
    signature = SignatureFactory(version=charter_version)
    response = client.get("/charte/verifier/", {"code": f" {signature.verification_code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == signature.get_verification_url()


def test_pdf_only_for_coordinators_and_staff(client, charter_version, coordinator, staff):
    pole = coordinator.coordinated_pole
    signature = services.signature_submit(
        user=coordinator, data=signature_data(coordinator), pole=pole
    )
    url = signature.get_pdf_url()
    client.force_login(coordinator)
    assert client.get(url).status_code == 404  # not validated yet
    services.signature_validate(signature=signature, by=staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"charte-ptce-v1-{pole.slug}.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(signature.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(staff)
    assert client.get(url).status_code == 200
    # Tampered URLs.
    code = signature.verification_code
    for bad in (code[:-1] + ("A" if code[-1] != "A" else "B"), code + "X", "../admin"):
        assert client.get(f"/charte/signatures/{bad}/pdf/").status_code == 404


def test_withdraw_by_a_coordinator(client, charter_version, coordinator, staff):
    pole = coordinator.coordinated_pole
    signature = services.signature_submit(
        user=coordinator, data=signature_data(coordinator), pole=pole
    )
    services.signature_validate(signature=signature, by=staff)
    client.force_login(UserFactory())
    assert (
        client.post(f"/charte/signatures/{signature.verification_code}/retirer/").status_code == 404
    )
    client.force_login(coordinator)
    url = f"/charte/signatures/{signature.verification_code}/retirer/"
    assert "Demander le retrait de la signature" in client.get(url).content.decode()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 422 and "Indiquez le motif du retrait" in html.unescape(
        refused.content.decode()
    )
    response = client.post(url, {"reason": "Le pôle se dissout."}, follow=True)
    assert "reste signataire" in html.unescape(response.content.decode())
    signature.refresh_from_db()
    assert signature.status == "validated" and signature.withdrawal_pending
    assert pole.name in client.get("/charte/signataires/").content.decode()

    # Staff see it on the validation page and accept it.
    staff_client = Client()
    staff_client.force_login(staff)
    queue = staff_client.get("/charte/validation/").content.decode()
    assert "Le pôle se dissout." in queue and f"retrait-{signature.pk}" in queue
    staff_client.post(
        f"/charte/validation/{signature.verification_code}/retrait/", {"action": "accept"}
    )
    signature.refresh_from_db()
    assert signature.status == "withdrawn"
    response = client.post(url, follow=True)  # again: clear message, nothing changes
    assert "plus active : rien à retirer" in html.unescape(response.content.decode())
    assert "Signature non valide" in client.get(signature.get_verification_url()).content.decode()
    assert pole.name not in client.get("/charte/signataires/").content.decode()


def _signatories(charter_version, staff):
    from tests.poles.factories import DepartmentFactory, FormerRegionFactory, RegionFactory

    alsace = FormerRegionFactory(code="alsace", name="Alsace")
    grand_est = RegionFactory(code="grand-est", name="Grand Est")
    rhone = FormerRegionFactory(code="rhone-alpes", name="Rhône-Alpes")
    aura = RegionFactory(code="auvergne-rhone-alpes", name="Auvergne-Rhône-Alpes")
    haut_rhin = DepartmentFactory(
        code="68", name="Haut-Rhin", region=grand_est, former_region=alsace
    )
    drome = DepartmentFactory(code="26", name="Drôme", region=aura, former_region=rhone)
    poles = [
        PoleFactory(name="EcOOparc", carrier_structure="Cooproduction", department=haut_rhin),
        PoleFactory(name="Pôle Sud", carrier_structure="Archer", department=drome),
        PoleFactory(name="Zéro caché", department=drome),
    ]
    signatures = [SignatureFactory(version=charter_version, pole=p) for p in poles]
    for s in signatures:
        services.signature_validate(signature=s, by=staff)
    Signature.objects.filter(pk=signatures[2].pk).update(consent_publication=False)
    return signatures


def test_public_list_of_signatories(client, charter_version, staff, django_assert_max_num_queries):
    _signatories(charter_version, staff)
    with django_assert_max_num_queries(8):
        response = client.get("/charte/signataires/")
    html = response.content.decode()
    assert "EcOOparc" in html and "Cooproduction" in html and "Haut-Rhin" in html
    assert "Alsace" in html and "Grand Est" in html
    assert "Zéro caché" not in html  # no consent to publication
    assert "2 pôles signataires" in html

    html = client.get("/charte/signataires/", {"region": "rhone-alpes"}).content.decode()
    assert "Pôle Sud" in html and "EcOOparc" not in html
    html = client.get("/charte/signataires/", {"region": "grand-est"}).content.decode()
    assert "EcOOparc" in html and "Pôle Sud" not in html
    html = client.get("/charte/signataires/", {"tri": "-pole"}).content.decode()
    assert html.index("Pôle Sud") < html.index("EcOOparc")
    html = client.get("/charte/signataires/", {"tri": "numero"}).content.decode()
    assert html.index("EcOOparc") < html.index("Pôle Sud")
    response = client.get("/charte/signataires/", {"region": "atlantide", "tri": "x"})
    assert response.status_code == 200
    assert "Ce filtre n'existe pas" in response.content.decode()


def test_signatories_csv(client, charter_version, staff):
    _signatories(charter_version, staff)
    response = client.get("/charte/signataires/export.csv", {"region": "alsace"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:6] == [
        "numero", "region_2014", "region", "departements", "pole", "structure_porteuse"
    ]  # fmt: skip
    assert rows[1][:6] == ["1", "Alsace", "Grand Est", "Haut-Rhin", "EcOOparc", "Cooproduction"]
    assert len(rows) == 2


def test_staff_validation_page(client, charter_version, staff, mailoutbox):
    user = UserFactory()
    signature = services.signature_submit(
        user=user, data=signature_data(user), new_pole_name="Pôle à valider"
    )
    other = SignatureFactory(version=charter_version)
    client.force_login(user)
    assert client.get("/charte/validation/").status_code == 404
    assert client.post(f"/charte/validation/{signature.verification_code}/").status_code == 404
    client.force_login(staff)
    html = client.get("/charte/validation/").content.decode()
    assert "Pôle à valider" in html and "nouveau pôle" in html

    url = f"/charte/validation/{signature.verification_code}/"
    # « Valider » publishes: a confirmation first, nothing changed yet.
    response = client.post(url, {"action": "validate"})
    assert response.status_code == 200 and "Oui, valider et publier" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == "submitted" and not signature.pole.is_published
    response = client.post(url, {"action": "validate", "confirmed": "1"}, follow=True)
    assert "validée" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == "validated" and signature.pole.is_published
    response = client.post(url, {"action": "validate", "confirmed": "1"}, follow=True)  # again
    assert "Seule une signature en attente" in response.content.decode()

    other_url = f"/charte/validation/{other.verification_code}/"
    response = client.post(other_url, {"action": "refuse", "reason": ""}, follow=True)
    assert "Indiquez le motif du refus" in response.content.decode()
    client.post(other_url, {"action": "refuse", "reason": "Pôle inconnu."})
    other.refresh_from_db()
    assert other.status == "refused" and other.refusal_reason == "Pôle inconnu."
    response = client.post(other_url, {"action": "bogus"}, follow=True)
    assert response.status_code == 200
    assert client.post("/charte/validation/ZZZZ-ZZZZ-ZZZZ-ZZZZ/").status_code == 404


def test_admin_actions_validate_and_refuse(client, charter_version, staff):
    first, second = (
        SignatureFactory(version=charter_version),
        SignatureFactory(version=charter_version),
    )
    client.force_login(staff)
    url = "/admin/charter/signature/"
    client.post(url, {"action": "validate", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.status == "validated"
    response = client.post(url, {"action": "refuse", "_selected_action": [second.pk]})
    assert "Motif du refus" in response.content.decode()
    client.post(
        url,
        {"action": "refuse", "_selected_action": [second.pk], "apply": "1", "reason": "Doublon"},
    )
    second.refresh_from_db()
    assert second.status == "refused" and second.refusal_reason == "Doublon"
    assert client.get(f"/admin/charter/signature/{first.pk}/change/").status_code == 200


def test_dashboard_panel(client, charter_version, coordinator, staff):
    signature = services.signature_submit(
        user=coordinator, data=signature_data(coordinator), pole=coordinator.coordinated_pole
    )
    client.force_login(coordinator)
    html = client.get("/mon-espace/").content.decode()
    assert "Charte des PTCE" in html and "en attente de validation" in html
    assert signature.get_pdf_url() not in html
    services.signature_validate(signature=signature, by=staff)
    html = client.get("/mon-espace/").content.decode()
    assert signature.get_pdf_url() in html
    client.force_login(staff)
    assert "à valider" in client.get("/mon-espace/").content.decode()


def test_pole_signature_block(charter_version, staff, rf):
    """The charter's section of a pole page (the block charter contributes to the slot
    "poles.detail"): the validated signature with its code, else what is known of it."""
    from charter.blocks import pole_signature

    signature = SignatureFactory(version=charter_version)
    services.signature_validate(signature=signature, by=staff)
    html = pole_signature(rf.get("/"), signature.pole)
    assert "Signataire de la charte" in html and signature.verification_code in html
    html = pole_signature(rf.get("/"), PoleFactory(status="engaged"))
    assert "Signataire" not in html
    # A signatory pole with no signature on the portal: said, with nothing to verify.
    html = pole_signature(rf.get("/"), PoleFactory())
    assert "Signataire de la charte des PTCE." in html and "verifier" not in html


def test_csv_cells_never_start_a_formula(client, charter_version, staff):
    pole = PoleFactory(name='=HYPERLINK("http://x")', carrier_structure="+33 structure")
    signature = SignatureFactory(version=charter_version, pole=pole)
    services.signature_validate(signature=signature, by=staff)
    body = client.get("/charte/signataires/export.csv").content.decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(body), delimiter=";"))[1]
    assert row[4] == '\'=HYPERLINK("http://x")' and row[5] == "'+33 structure"


def test_signer_names_holding_a_link_are_refused_and_pole_names_cleaned(
    client, charter_version, coordinator
):
    """Names of the signature are e-mailed to staff: no link may ride on them; a new pole's
    name loses its invisible format characters (a right-to-left override reversed it)."""
    client.force_login(coordinator)
    data = form_data(coordinator, pole=coordinator.coordinated_pole.pk)
    response = client.post(
        "/charte/signer/",
        {
            **data,
            "representative_first_name": "Camille, voir https://arnaque.example",
            "action": "preview",
        },
    )
    assert "Un nom ne peut contenir ni adresse web ni adresse e-mail." in response.text
    from tests.poles.factories import DepartmentFactory

    data = form_data(
        coordinator,
        new_pole_name="\u202eseuqixuoT\u202c Pôle",
        new_pole_department=DepartmentFactory().pk,
    )
    response = client.post("/charte/signer/", {**data, "action": "preview"})
    assert response.status_code == 200, response.context["form"].errors
    assert "seuqixuoT Pôle" in response.text
    client.post("/charte/signer/", {**data, "action": "confirm"})
    assert Signature.objects.get().pole.name == "seuqixuoT Pôle"
    assert Signature.objects.get().pole_name == "seuqixuoT Pôle"


def test_a_code_typed_in_any_case_without_dashes_or_with_spaces_verifies(client, charter_version):
    signature = SignatureFactory(version=charter_version)
    code = signature.verification_code
    bare = code.replace("-", "")
    for typed in (
        bare.lower(),
        " ".join(code.split("-")),
        f" {code.lower()} ",
        bare[:8] + "–" + bare[8:],
    ):
        response = client.get("/charte/verifier/", {"code": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == f"/charte/verifier/{code}/"
    assert client.get(f"/charte/verifier/{bare.lower()}/").status_code == 200
    help_text = client.get("/charte/verifier/").content.decode()
    assert "à côté du QR code" in help_text and "sous le QR code" not in help_text


def test_the_signatories_region_filter_does_not_grow_with_the_directory(client, seeded_charter):
    """Its choices come from the validated signatures, not from every pole of every region."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> list[str]:
        cache.clear()  # not the cached page: the queries that build it
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/charte/signataires/?region=occitanie").status_code == 200
        return [q["sql"] for q in ctx.captured_queries]

    queries()  # the first one also asks once whether PostgreSQL has the French collation
    before = queries()
    region = Pole.objects.filter(region__isnull=False).first().region
    Pole.objects.bulk_create(
        Pole(name=f"Pôle ajouté {i}", slug=f"pole-ajoute-{i}", region=region, is_published=True)
        for i in range(300)
    )
    from ptce_portal import versions

    versions.bump("poles")
    after = queries()
    assert len(after) == len(before)
    region_choices = [sql for sql in after if 'FROM "poles_region"' in sql]
    assert region_choices and all("EXISTS" in sql for sql in region_choices)


def test_staff_card_shows_territory_charter_link_duplicates_and_undo(
    client, charter_version, staff
):
    from tests.poles.factories import DepartmentFactory

    drome = DepartmentFactory(code="26", name="Drôme")
    PoleFactory(name="Pôle des Baronnies", is_published=True)
    user = UserFactory()
    client.force_login(user)
    data = form_data(user, new_pole_name="Pôle des baronnies", new_pole_department=drome.pk)
    client.post("/charte/signer/", {**data, "action": "confirm"})
    signature = Signature.objects.get(signer=user)
    client.force_login(staff)
    html = client.get("/charte/validation/").content.decode()
    assert "Drôme (26)" in html and "Lyon" in html and drome.region.name in html
    assert f'href="{signature.get_absolute_url()}"' in html
    assert "Doublons possibles" in html and "Pôle des Baronnies" in html
    url = f"/charte/validation/{signature.verification_code}/"
    confirm = client.post(url, {"action": "validate"}).content.decode()
    assert "Doublon possible" in confirm and "Pôle des Baronnies" in confirm
    client.post(url, {"action": "validate", "confirmed": "1"})
    html = client.get("/charte/validation/").content.decode()
    assert "Annuler la validation" in html
    response = client.post(url, {"action": "undo"}, follow=True)
    assert "est annulée" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == "submitted" and not signature.pole.is_published


def test_staff_my_space_shows_staff_work_not_coordinator_blocks(client, charter_version, staff):
    user = UserFactory()
    services.signature_submit(user=user, data=signature_data(user), new_pole_name="Pôle en file")
    client.force_login(staff)
    html = client.get("/mon-espace/").content.decode()
    assert "Ouvrir l'administration" in html
    assert 'href="/charte/validation/' in html and "1 en attente" in html
    assert "Mes pôles" not in html and "Charte des PTCE" not in html
