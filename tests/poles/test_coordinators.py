import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from poles import services
from poles.dashboard import panel
from poles.models import Pole, PoleCoordinator, PoleMember, PoleRevision
from poles.permissions import is_pole_coordinator
from poles.selectors import poles_coordinated_by
from tests.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory
from tests.poles.factories import (
    DepartmentFactory,
    PoleCoordinatorFactory,
    PoleFactory,
    PoleMemberFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def signed_in(client, user):
    client.login(email=user.email, password=DEFAULT_PASSWORD)
    return client


def test_claim_an_existing_pole(
    signed_in, user, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAIL = "equipe@labo-ess.example"
    pole = PoleFactory()
    assert signed_in.get(f"/poles/{pole.slug}/coordonner/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            f"/poles/{pole.slug}/coordonner/", {"message": "Je suis la coordinatrice."}
        )
    assert response.status_code == 302
    coordination = PoleCoordinator.objects.get(pole=pole, user=user)
    assert coordination.status == PoleCoordinator.Status.REQUESTED
    # Staff are told (the one rule: ptce_portal.mail.staff_recipients), the requester too.
    assert [m.to for m in mailoutbox] == [["equipe@labo-ess.example"], [user.email]]
    assert pole.name in mailoutbox[1].subject and "Demande reçue" in mailoutbox[1].subject
    assert "Nous avons bien reçu votre demande à coordonner" in mailoutbox[1].body
    assert "/mon-espace/" in mailoutbox[1].body
    # A second request while the first waits is refused with a message.
    response = signed_in.post(f"/poles/{pole.slug}/coordonner/", {"message": "Encore"}, follow=True)
    assert "déjà en attente" in response.content.decode()
    assert PoleCoordinator.objects.filter(pole=pole).count() == 1


def test_claim_without_team_address_goes_to_every_staff_account(
    signed_in, user, staff, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAIL = ""
    pole = PoleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(f"/poles/{pole.slug}/coordonner/", {"message": "Je coordonne."})
    assert [m.to for m in mailoutbox] == [[staff.email], [user.email]]


def test_claim_requires_login(client):
    pole = PoleFactory()
    response = client.get(f"/poles/{pole.slug}/coordonner/")
    assert response.status_code == 302 and "/compte/login/" in response["Location"]


def test_propose_a_new_pole(signed_in, user):
    department = DepartmentFactory()
    theme = ThemeFactory()
    assert signed_in.get("/poles/proposer/").status_code == 200
    response = signed_in.post(
        "/poles/proposer/",
        {
            "name": "Pôle des Coteaux",
            "carrier_structure": "Association Coteaux",
            "short_description": "Un pôle tout neuf.",
            "town": "",
            "maturity": "project",
            "departments": [department.pk],
            "themes": [theme.pk],
            "message": "Je le coordonne.",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    pole = Pole.objects.get(name="Pôle des Coteaux")
    assert pole.slug == "pole-des-coteaux" and not pole.is_published
    assert (pole.latitude, pole.longitude) == (department.latitude, department.longitude)
    assert pole.region == department.region
    assert list(pole.themes.all()) == [theme]
    assert PoleCoordinator.objects.get(pole=pole, user=user).message == "Je le coordonne."
    # Not public until staff publish it.
    assert signed_in.get(pole.get_absolute_url()).status_code == 404


def test_propose_with_missing_fields_shows_errors(signed_in):
    response = signed_in.post("/poles/proposer/", {"name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Pole.objects.count() == 0


def test_staff_approves_with_email(user, mailoutbox, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    pole = PoleFactory(is_published=False)
    coordination = PoleCoordinator.objects.create(pole=pole, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.coordinator_approve(coordination=coordination, by=staff, publish_pole=True)
    coordination.refresh_from_db()
    assert coordination.status == PoleCoordinator.Status.APPROVED
    assert coordination.decided_by == staff and coordination.decided_at
    pole.refresh_from_db()
    assert pole.is_published
    assert is_pole_coordinator(user, pole) and list(poles_coordinated_by(user)) == [pole]
    assert mailoutbox[0].to == [user.email]
    assert pole.name in mailoutbox[0].subject
    assert pole.get_absolute_url() in mailoutbox[0].body


def test_staff_decision_email_is_french_with_one_subject_prefix(
    user, mailoutbox, django_capture_on_commit_callbacks
):
    coordination = PoleCoordinator.objects.create(
        pole=PoleFactory(name="Pôle Arts & Métiers"), user=user
    )
    # The staff member browses in English; the coordinator written to is not them.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.coordinator_approve(coordination=coordination, by=StaffFactory())
    assert mailoutbox[0].subject == (
        "[Portail PTCE] Vous coordonnez désormais « Pôle Arts & Métiers »"
    )
    assert mailoutbox[0].body.startswith("Bonjour,")


def test_staff_refuses_with_a_reason_emailed(user, mailoutbox, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    coordination = PoleCoordinator.objects.create(pole=PoleFactory(), user=user)
    with pytest.raises(ValidationError):
        services.coordinator_refuse(coordination=coordination, by=staff, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.coordinator_refuse(
            coordination=coordination, by=staff, reason="Nous ne connaissons pas ce rôle."
        )
    assert coordination.status == PoleCoordinator.Status.REFUSED
    assert "Nous ne connaissons pas ce rôle." in mailoutbox[0].body
    # A refused person can ask again.
    again = services.coordinator_request(user=user, pole=coordination.pole, message="Précision")
    assert again.pk == coordination.pk and again.status == PoleCoordinator.Status.REQUESTED


def test_admin_decision_goes_through_the_services(
    client, user, mailoutbox, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    client.force_login(staff)
    coordination = PoleCoordinator.objects.create(pole=PoleFactory(), user=user)
    url = f"/admin/poles/polecoordinator/{coordination.pk}/change/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "pole": coordination.pole.pk,
                "user": user.pk,
                "status": "refused",
                "message": "",
                "refusal_reason": "Pôle inconnu de nos réseaux.",
            },
        )
    coordination.refresh_from_db()
    assert coordination.status == PoleCoordinator.Status.REFUSED
    assert coordination.decided_by == staff
    assert "Pôle inconnu de nos réseaux." in mailoutbox[0].body


def edit_payload(pole, **overrides):
    data = {
        "name": pole.name,
        "carrier_structure": "Nouvelle structure",
        "short_description": "Description mise à jour.",
        "description": "",
        "website": "https://pole.example",
        "contact_email": "contact@pole.example",
        "contact_phone": "",
        "contact_is_public": "on",
        "address": "",
        "postcode": "",
        "town": pole.town,
        "territory_label": "",
        "year_created": "2012",
        "legal_form": "SCIC",
        "maturity": "existing",
        "departments": [d.pk for d in pole.departments.all()],
        "themes": [],
        "membres-TOTAL_FORMS": "2",
        "membres-INITIAL_FORMS": "0",
        "membres-MIN_NUM_FORMS": "0",
        "membres-MAX_NUM_FORMS": "1000",
        "membres-0-name": "Coopérative A",
        "membres-0-category": "ess",
        "membres-0-town": "",
        "membres-0-website": "",
        "membres-1-name": "Université B",
        "membres-1-category": "higher_education",
        "membres-1-town": "",
        "membres-1-website": "",
    }
    data.update(overrides)
    return data


def test_coordinator_edits_profile_and_members(signed_in, user):
    pole = PoleFactory()
    PoleCoordinatorFactory(pole=pole, user=user)
    assert signed_in.get(f"/poles/{pole.slug}/modifier/").status_code == 200
    response = signed_in.post(f"/poles/{pole.slug}/modifier/", edit_payload(pole))
    assert response.status_code == 302, response.context["form"].errors
    pole.refresh_from_db()
    assert pole.carrier_structure == "Nouvelle structure" and pole.year_created == 2012
    assert sorted(pole.members.values_list("category", flat=True)) == ["ess", "higher_education"]
    html = signed_in.get(pole.get_absolute_url()).content.decode()
    assert "contact@pole.example" in html and "Université B" in html


def test_edits_needing_review_wait_for_staff(
    signed_in, user, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAIL = "equipe@labo-ess.example"
    pole = PoleFactory(edits_need_review=True, carrier_structure="Ancienne")
    PoleMemberFactory(pole=pole, name="Membre existant")
    PoleCoordinatorFactory(pole=pole, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(f"/poles/{pole.slug}/modifier/", edit_payload(pole))
    assert response.status_code == 302
    pole.refresh_from_db()
    assert pole.carrier_structure == "Ancienne"  # nothing public changed
    assert list(pole.members.values_list("name", flat=True)) == ["Membre existant"]
    revision = PoleRevision.objects.get(pole=pole)
    assert revision.status == PoleRevision.Status.PENDING
    assert revision.data["carrier_structure"] == "Nouvelle structure"
    assert mailoutbox[-1].to == ["equipe@labo-ess.example"]

    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_apply(revision=revision, by=staff)
    pole.refresh_from_db()
    assert pole.carrier_structure == "Nouvelle structure"
    assert sorted(pole.members.values_list("name", flat=True)) == ["Coopérative A", "Université B"]
    assert mailoutbox[-1].to == [user.email]
    with pytest.raises(ValidationError):
        services.revision_apply(revision=revision, by=staff)


def test_rejected_revision_changes_nothing(user, mailoutbox, django_capture_on_commit_callbacks):
    pole = PoleFactory(edits_need_review=True, carrier_structure="Ancienne")
    revision = PoleRevision.objects.create(
        pole=pole, proposed_by=user, data={"carrier_structure": "X", "members": []}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_reject(revision=revision, by=StaffFactory(), reason="Texte à revoir.")
    pole.refresh_from_db()
    assert pole.carrier_structure == "Ancienne"
    assert "Texte à revoir." in mailoutbox[0].body
    with pytest.raises(ValidationError, match="déjà été traitée"):
        services.revision_apply(revision=revision, by=StaffFactory())


def test_only_coordinators_and_staff_edit(signed_in, user):
    pole = PoleFactory()
    assert signed_in.get(f"/poles/{pole.slug}/modifier/").status_code == 403
    PoleCoordinatorFactory(pole=pole, user=user, status=PoleCoordinator.Status.REQUESTED)
    assert signed_in.get(f"/poles/{pole.slug}/modifier/").status_code == 403


def test_invalid_member_rows_write_nothing(signed_in, user):
    pole = PoleFactory()
    PoleCoordinatorFactory(pole=pole, user=user)
    payload = edit_payload(pole, **{"membres-1-category": "martien"})
    response = signed_in.post(f"/poles/{pole.slug}/modifier/", payload)
    assert response.status_code == 200
    pole.refresh_from_db()
    assert pole.carrier_structure != "Nouvelle structure"
    assert PoleMember.objects.filter(pole=pole).count() == 0


def test_dashboard_panel(signed_in, user, rf):
    pole = PoleFactory(name="Mon pôle")
    PoleCoordinatorFactory(pole=pole, user=user)
    PoleCoordinatorFactory(
        pole=PoleFactory(name="Autre pôle"), user=user, status=PoleCoordinator.Status.REQUESTED
    )
    request = rf.get("/mon-espace/")
    request.user = user
    data = panel(request)
    assert [c.pole.name for c in data["approved"]] == ["Mon pôle"]
    assert [c.pole.name for c in data["requested"]] == ["Autre pôle"]
    html = signed_in.get("/mon-espace/").content.decode()
    assert "Mes pôles" in html and "Mon pôle" in html and "Demandes en attente" in html
    assert f"/poles/{pole.slug}/modifier/" in html


def test_coordinator_sees_unpublished_pole_and_pending_notice(signed_in, user):
    pole = PoleFactory(is_published=False, edits_need_review=True)
    PoleCoordinatorFactory(pole=pole, user=user)
    PoleRevision.objects.create(pole=pole, proposed_by=user, data={"members": []})
    html = signed_in.get(pole.get_absolute_url()).content.decode()
    assert "attend la relecture" in html and "visible que de ses coordinateurs" in html


def test_a_proposed_pole_name_loses_its_invisible_characters(signed_in):
    """A right-to-left override made « ‮Pôle‬ » read backwards in the directory and the map."""
    department = DepartmentFactory()
    response = signed_in.post(
        "/poles/proposer/",
        {
            "name": "\u202eseuqixuoT\u202c \u200bPôle",
            "carrier_structure": "Asso\u2066ciation\u2069",
            "maturity": "project",
            "departments": [department.pk],
            "message": "Je le coordonne.",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    pole = Pole.objects.get()
    assert pole.name == "seuqixuoT Pôle" and pole.carrier_structure == "Association"


def test_the_staff_notice_of_a_claim_does_not_copy_the_requesters_text(
    signed_in, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """The message is typed by someone staff have not validated yet: read in the admin, never
    relayed by the portal's own e-mail."""
    settings.STAFF_NOTIFICATION_EMAIL = "equipe@labo-ess.example"
    pole = PoleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(
            f"/poles/{pole.slug}/coordonner/",
            {"message": "Urgent : reconnectez-vous sur https://arnaque.example/labo"},
        )
    assert len(mailoutbox) == 2  # staff, then the requester's acknowledgement
    assert not any("arnaque" in m.body for m in mailoutbox)
    assert "à lire dans l'administration" in mailoutbox[0].body
    assert PoleCoordinator.objects.get(pole=pole).message.startswith("Urgent")
