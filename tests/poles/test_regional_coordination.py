"""The regional coordination role: moderates the poles of its regions (current or former)
from /moderation-regionale/ without being staff; nothing outside its regions."""

import pytest
from django.urls import reverse

from poles import permissions
from poles.models import PoleCoordinator, PoleRevision, RegionalCoordination
from ptce_portal.permissions import is_portal_staff
from tests.factories import StaffFactory, UserFactory, activate_totp
from tests.markup import compact
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory

pytestmark = pytest.mark.django_db

URL = "/moderation-regionale/"


@pytest.fixture
def setting():
    """A moderator of pole A's current region; pole B is in another region."""
    pole_a = PoleFactory(name="Pôle A")
    pole_b = PoleFactory(name="Pôle B")
    assert pole_a.region_id != pole_b.region_id
    moderator = UserFactory(email="moderation@cress.example")
    RegionalCoordination.objects.create(user=moderator, region=pole_a.region)
    activate_totp(moderator)  # its second factor (test_a_second_factor_is_required)
    request_a = PoleCoordinatorFactory(pole=pole_a, status="requested", message="Je coordonne")
    request_b = PoleCoordinatorFactory(pole=pole_b, status="requested")
    return {
        "moderator": moderator,
        "pole_a": pole_a,
        "pole_b": pole_b,
        "request_a": request_a,
        "request_b": request_b,
    }


def decide(client, kind, pk, action, reason=""):
    return client.post(
        reverse("poles:moderation_decide", args=[kind, pk]), {"action": action, "reason": reason}
    )


def test_the_rule(setting):
    moderator = setting["moderator"]
    assert permissions.moderated_region_ids(moderator)
    assert permissions.can_moderate_pole(moderator, setting["pole_a"])
    assert not permissions.can_moderate_pole(moderator, setting["pole_b"])
    assert not is_portal_staff(moderator)  # not staff: no admin
    assert permissions.can_moderate_pole(StaffFactory(), setting["pole_b"])
    assert not permissions.can_moderate_pole(UserFactory(), setting["pole_a"])
    # A pole of its former region counts too.
    former = UserFactory()
    appointed = RegionalCoordination.objects.create(
        user=former, region=setting["pole_b"].former_region
    )
    assert permissions.can_moderate_pole(former, setting["pole_b"])
    # The appointment is in the audit trail.
    from auditlog.models import LogEntry

    assert LogEntry.objects.get_for_object(appointed).count() == 1


def test_the_queue_shows_only_the_poles_of_the_region(client, setting):
    client.force_login(setting["moderator"])
    html = client.get(URL).content.decode()
    assert "Pôle A" in html and "Je coordonne" in html
    assert "Pôle B" not in html
    assert client.get(reverse("dashboard")).content.decode().count(URL) >= 1


def test_accepting_a_request_of_the_region(
    client, setting, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(setting["moderator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, "demande", setting["request_a"].pk, "accept")
    assert response.status_code == 302
    request_a = PoleCoordinator.objects.get(pk=setting["request_a"].pk)
    assert request_a.status == "approved" and request_a.decided_by == setting["moderator"]
    assert [m.to for m in mailoutbox] == [[request_a.user.email]]
    # Answered already: a second answer is refused with a message, nothing changes.
    page = client.post(
        reverse("poles:moderation_decide", args=["demande", request_a.pk]),
        {"action": "refuse", "reason": "Non"},
        follow=True,
    )
    assert "déjà reçu une réponse" in page.content.decode()
    assert PoleCoordinator.objects.get(pk=request_a.pk).status == "approved"


def test_refusing_needs_a_reason(client, setting):
    client.force_login(setting["moderator"])
    page = client.post(
        reverse("poles:moderation_decide", args=["demande", setting["request_a"].pk]),
        {"action": "refuse", "reason": "  "},
        follow=True,
    )
    assert "motif du refus" in page.content.decode()
    assert PoleCoordinator.objects.get(pk=setting["request_a"].pk).status == "requested"
    decide(client, "demande", setting["request_a"].pk, "refuse", "Pôle déjà coordonné")
    refused = PoleCoordinator.objects.get(pk=setting["request_a"].pk)
    assert refused.status == "refused" and refused.refusal_reason == "Pôle déjà coordonné"


def test_nothing_outside_the_region_nor_for_others(client, setting):
    client.force_login(setting["moderator"])
    assert decide(client, "demande", setting["request_b"].pk, "accept").status_code == 404
    assert decide(client, "autre", setting["request_a"].pk, "accept").status_code == 404
    assert PoleCoordinator.objects.get(pk=setting["request_b"].pk).status == "requested"
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 404
    assert decide(client, "demande", setting["request_a"].pk, "accept").status_code == 404
    client.logout()
    assert client.get(URL)["Location"].startswith(reverse("account_login"))
    assert PoleCoordinator.objects.get(pk=setting["request_a"].pk).status == "requested"


def test_a_moderator_does_not_answer_their_own_request(client, setting):
    own = PoleCoordinatorFactory(
        pole=setting["pole_a"], user=setting["moderator"], status="requested"
    )
    client.force_login(setting["moderator"])
    page = client.post(
        reverse("poles:moderation_decide", args=["demande", own.pk]),
        {"action": "accept"},
        follow=True,
    )
    assert "Une autre personne" in page.content.decode()
    assert PoleCoordinator.objects.get(pk=own.pk).status == "requested"


def test_applying_a_pole_edit_of_the_region(client, setting):
    pole = setting["pole_a"]
    revision = PoleRevision.objects.create(
        pole=pole, proposed_by=setting["request_a"].user, data={"short_description": "Nouveau"}
    )
    client.force_login(setting["moderator"])
    html = client.get(URL).content.decode()
    assert "Nouveau" in html  # the difference is shown
    decide(client, "modification", revision.pk, "accept")
    revision.refresh_from_db()
    pole.refresh_from_db()
    assert revision.status == "applied" and revision.decided_by == setting["moderator"]
    assert pole.short_description == "Nouveau"


def pending_edits(pole, user, n):
    """`n` pending edits of `pole`, each changing its text, departments, themes and members."""
    from tests.poles.factories import DepartmentFactory, ThemeFactory

    for k in range(n):
        PoleRevision.objects.create(
            pole=pole,
            proposed_by=user,
            data={
                "short_description": f"Nouveau {k}",
                "departments": [DepartmentFactory().pk],
                "themes": [ThemeFactory().pk],
                "members": [{"name": f"Membre {k}", "category": "ess_enterprise"}],
            },
        )


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_queue_runs_the_same_queries_with_1_or_10_pending_edits(client, setting):
    pole = setting["pole_a"]
    client.force_login(setting["moderator"])
    pending_edits(pole, setting["request_a"].user, 1)
    one = count_queries(client, URL)
    html = client.get(URL).content.decode()
    assert "Nouveau 0" in html and "Membre 0" in html
    pending_edits(pole, setting["request_a"].user, 9)
    PoleCoordinatorFactory.create_batch(9, pole=pole, status="requested")
    assert count_queries(client, URL) == one
    assert client.get(URL).content.decode().count('aria-labelledby="revision-') == 10


def test_mon_espace_counts_the_regional_queue_without_building_it(client, setting):
    pole = setting["pole_a"]
    client.force_login(setting["moderator"])
    pending_edits(pole, setting["request_a"].user, 1)
    one = count_queries(client, reverse("dashboard"))
    pending_edits(pole, setting["request_a"].user, 9)
    PoleCoordinatorFactory.create_batch(9, pole=pole, status="requested")
    assert count_queries(client, reverse("dashboard")) == one
    html = compact(client.get(reverse("dashboard")).content.decode())
    # Its own panel, the region named, the counts and a button to the queue.
    assert f"Coordination régionale — {pole.region.name}" in html
    assert "10 demandes de coordination en attente" in html
    assert "10 modifications de fiche à relire" in html
    assert f'class="button" href="{URL}"' in html
    # Not staff: no staff line.
    assert "Équipe :" not in html


def test_the_staff_line_follows_the_moderation_right(client):
    staff = StaffFactory()
    client.force_login(staff)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Équipe :" in html
    assert "Coordination régionale —" not in html


def test_refusal_without_reason_is_a_form_error_on_the_card(client, setting):
    client.force_login(setting["moderator"])
    pk = setting["request_a"].pk
    response = decide(client, "demande", pk, "refuse", "   ")
    assert response.status_code == 400
    html = response.content.decode()
    form = response.context["requests"][0].decision_form
    assert form.errors["reason"] == ["Indiquez le motif du refus : il est envoyé à la personne."]
    assert f'for="id_demande_{pk}_reason">Motif du refus (envoyé à la personne)' in html
    assert html.count('maxlength="2000"') == 1  # one card, the form's own attribute
    assert "form" not in response.context or response.context.get("form") is None
    assert PoleCoordinator.objects.get(pk=pk).status == "requested"
    # An unknown action is a form error too, never a 500.
    response = decide(client, "demande", pk, "peut-etre")
    assert response.status_code == 400
    assert "Choisissez « Accepter » ou « Refuser »." in response.content.decode()
    assert PoleCoordinator.objects.get(pk=pk).status == "requested"


def test_the_card_stacks_accept_above_a_refusal_block(client, setting):
    client.force_login(setting["moderator"])
    html = client.get(URL).content.decode()
    card = html[html.index('id="request-') :]
    accept = card.index('value="accept"')
    refuse_heading = card.index('<h4 id="refuse-demande-')
    textarea = card.index("<textarea")
    assert accept < refuse_heading < textarea
    assert card[:accept].count("<form") == 1 and "<textarea" not in card[:accept]
    assert ">E-mail</dt>" in html and "Courriel" not in html


def test_a_second_factor_is_required_of_a_regional_coordination(client):
    """It approves coordinators: like staff, no page but the account pages until its
    authenticator app is activated, and it cannot deactivate it."""
    from allauth.mfa.models import Authenticator

    from ptce_portal.permissions import needs_second_factor

    pole = PoleFactory()
    person = UserFactory(email="cress@exemple.fr")
    assert not needs_second_factor(person)
    RegionalCoordination.objects.create(user=person, region=pole.region)
    person = type(person).objects.get(pk=person.pk)  # a new request's user
    assert needs_second_factor(person)

    client.force_login(person)
    for path in (URL, "/mon-espace/", "/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/compte/2fa/totp/activate/"
    page = client.get("/compte/2fa/totp/activate/", follow=True).content.decode()
    assert "coordination régionale" in compact(page)

    activate_totp(person)
    assert client.get(URL).status_code == 200
    totp = Authenticator.objects.get(user=person, type=Authenticator.Type.TOTP)
    client.post("/compte/2fa/totp/deactivate/")
    assert Authenticator.objects.filter(pk=totp.pk).exists()  # kept
