"""Roles and rules (ptce_portal.permissions), the staff group, the staff second factor
(allauth.mfa), allauth's rate limits and the absence of account enumeration."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from charter import permissions as charter_permissions
from poles import permissions as pole_permissions
from ptce_portal import permissions
from ptce_portal.permissions import STAFF_GROUP, is_portal_staff
from referential import permissions as referential_permissions
from tests.charter.factories import SignatureFactory
from tests.factories import DEFAULT_PASSWORD, StaffFactory, UserFactory, totp_code
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory

pytestmark = pytest.mark.django_db


# --- Roles -------------------------------------------------------------------------------


def test_staff_is_is_staff_plus_the_staff_group():
    assert is_portal_staff(StaffFactory())
    assert not is_portal_staff(UserFactory(is_staff=True))  # the flag alone is not enough
    member = UserFactory()
    member.groups.add(permissions.staff_group())
    assert not is_portal_staff(member)  # the group without the flag neither
    assert not is_portal_staff(StaffFactory(is_active=False))
    assert is_portal_staff(UserFactory(is_staff=True, is_superuser=True))
    from django.contrib.auth.models import AnonymousUser

    assert not is_portal_staff(AnonymousUser())
    assert not is_portal_staff(None)
    staff = StaffFactory()
    assert set(permissions.staff_users()) >= {staff}
    assert member not in permissions.staff_users()


def test_the_staff_group_is_synced_after_migrate_and_idempotent():
    group = Group.objects.get(name=STAFF_GROUP)
    names = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert {"poles.change_pole", "charter.change_signature", "events.view_registration"} <= names
    assert "referential.add_referentialversion" in names
    assert "ptce_portal.view_user" in names
    # Never what would let a staff member make themselves superuser or edit second factors.
    assert "ptce_portal.change_user" not in names
    assert not any(name.startswith("mfa.") for name in names)
    group.permissions.clear()
    permissions.sync_staff_group()
    permissions.sync_staff_group()
    assert Group.objects.filter(name=STAFF_GROUP).count() == 1
    assert {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()} == names


def test_a_staff_member_is_not_a_superuser_but_has_the_model_permissions():
    staff = StaffFactory()
    assert not staff.is_superuser
    assert staff.has_perm("poles.change_pole") and staff.has_perm("charter.change_signature")
    assert not staff.has_perm("ptce_portal.change_user")


def test_object_rules_coordinator_of_their_own_poles_only():
    from charter.seed import seed_version_1

    charter_version = seed_version_1()
    mine, other = PoleFactory(), PoleFactory()
    coordinator = UserFactory()
    PoleCoordinatorFactory(pole=mine, user=coordinator)
    requested = UserFactory()
    PoleCoordinatorFactory(pole=mine, user=requested, status="requested")
    staff = StaffFactory()

    assert pole_permissions.can_edit_pole(coordinator, mine)
    assert not pole_permissions.can_edit_pole(coordinator, other)
    assert not pole_permissions.can_edit_pole(requested, mine)  # not approved yet
    assert pole_permissions.can_edit_pole(staff, other)

    signature = SignatureFactory(pole=mine, version=charter_version)
    foreign = SignatureFactory(pole=other, version=charter_version)
    assert charter_permissions.can_manage_signature(coordinator, signature)
    assert not charter_permissions.can_manage_signature(coordinator, foreign)
    assert charter_permissions.can_manage_signature(staff, foreign)
    assert charter_permissions.can_view_signature(foreign.signer, foreign)  # the signer
    assert charter_permissions.can_decide_signatures(staff)
    assert not charter_permissions.can_decide_signatures(coordinator)


def test_object_rules_of_assessments_belong_to_the_pole_coordinators():
    from referential.seed import load_working_version
    from tests.referential.factories import AssessmentFactory

    assessment = AssessmentFactory(version=load_working_version())
    coordinator = UserFactory()
    PoleCoordinatorFactory(pole=assessment.pole, user=coordinator)
    other = UserFactory()
    PoleCoordinatorFactory(pole=PoleFactory(), user=other)
    assert referential_permissions.can_manage_assessment(coordinator, assessment)
    assert not referential_permissions.can_manage_assessment(other, assessment)
    # Staff do not read a pole's answers: the self-assessment belongs to the pole.
    assert not referential_permissions.can_manage_assessment(StaffFactory(), assessment)


def test_is_staff_without_the_group_gets_no_staff_page(client):
    user = UserFactory(is_staff=True)
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    assert client.get(reverse("charter:validation")).status_code == 404
    client.force_login(StaffFactory())
    assert client.get(reverse("charter:validation")).status_code == 200


# --- Second factor for staff ---------------------------------------------------------------


def test_staff_without_totp_is_sent_to_the_activation_page(client):
    staff = StaffFactory(totp=False)
    client.force_login(staff)
    activate = reverse("mfa_activate_totp")
    for url in ("/admin/", reverse("charter:validation"), reverse("referential:staff_overview")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == activate
    page = client.get(reverse("dashboard"), follow=True)
    assert "authentification à deux facteurs" in page.content.decode()
    # Account pages stay reachable (activation, logout).
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account_logout")).status_code == 200
    # A member who is not staff is never asked.
    client.force_login(UserFactory())
    assert client.get(reverse("dashboard")).status_code == 200


def test_staff_activates_totp_then_reaches_the_admin(client):
    """Through allauth's real flow: log in with the password, activate TOTP with a code of
    the secret the page shows, then the admin opens."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    staff = StaffFactory(totp=False)
    response = client.post(
        reverse("account_login"), {"login": staff.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before a second factor is added.
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    assert Authenticator.objects.filter(user=staff, type="recovery_codes").exists()
    assert client.get("/admin/").status_code == 200


def test_staff_login_asks_for_the_totp_code(client):
    staff = StaffFactory()
    response = client.post(
        reverse("account_login"), {"login": staff.email, "password": DEFAULT_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302  # not signed in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(staff)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_demo_staff_logs_in_with_a_printed_recovery_code_once(client, capsys, demo_instance):
    call_command("ensure_demo_staff")
    out = capsys.readouterr().out
    assert "PTCEDEMOLABOESSBERCYSEPTEMBRE234" in out
    codes = re.search(r"codes de récupération[^:]*: ([\d ]+)", out).group(1).split()
    assert len(codes) == 10
    from ptce_portal.models import User

    staff = User.objects.get(email="equipe@labo-ess.example")
    assert is_portal_staff(staff) and not staff.is_superuser

    def login(code):
        client.logout()
        client.post(
            reverse("account_login"),
            {"login": "equipe@labo-ess.example", "password": "demo-ptce-2014"},
        )
        client.post(reverse("mfa_authenticate"), {"code": code})
        return client.get(reverse("charter:validation")).status_code

    assert login(codes[0]) == 200
    assert login(codes[0]) == 302  # single use
    # Run again (make run does): the codes are fresh again.
    call_command("ensure_demo_staff")
    assert login(codes[0]) == 200


# --- Rate limits -------------------------------------------------------------------------


def test_failed_logins_for_one_address_are_limited(client):
    user = UserFactory()
    url = reverse("account_login")
    for _attempt in range(5):
        response = client.post(url, {"login": user.email, "password": "mauvais"})
        assert response.status_code == 200
        assert "trop de tentatives" not in response.content.decode().lower()
    # The sixth attempt is refused, even with the right password.
    response = client.post(url, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "trop de tentatives" in response.content.decode().lower()


def test_too_many_login_posts_from_one_address_get_the_french_429_page(client):
    url = reverse("account_login")
    for n in range(30):
        response = client.post(url, {"login": f"x{n}@exemple.fr", "password": "x"})
        assert response.status_code == 200
    response = client.post(url, {"login": "y@exemple.fr", "password": "x"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Trop de tentatives" in html and 'lang="fr"' in html


def test_signups_are_limited(client):
    url = reverse("account_signup")
    for n in range(20):
        response = client.post(url, {"email": f"n{n}@exemple.fr", "password1": "x"})
        assert response.status_code == 200  # invalid form, but counted
    assert client.post(url, {"email": "z@exemple.fr"}).status_code == 429


# --- No account enumeration --------------------------------------------------------------


def _signup(client, email):
    client.logout()
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "Une-phrase-solide-2014",
            "password2": "Une-phrase-solide-2014",
        },
    )


def test_signup_with_a_known_address_answers_like_a_new_one(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="deja@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        new = _signup(client, "nouvelle@exemple.fr")
        known = _signup(client, "deja@exemple.fr")
    assert new.status_code == known.status_code == 302
    assert new["Location"] == known["Location"] == reverse("account_email_verification_sent")
    # The owner of the known address is told by e-mail, nobody else learns anything.
    assert [m.to for m in mailoutbox] == [["nouvelle@exemple.fr"], [existing.email]]
    assert existing.emailaddress_set.count() == 1


def test_password_reset_answers_the_same_for_unknown_addresses(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="connue@exemple.fr")
    url = reverse("account_reset_password")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "connue@exemple.fr"})
        unknown = client.post(url, {"email": "inconnue@exemple.fr"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    assert [m.to for m in mailoutbox] == [["connue@exemple.fr"], ["inconnue@exemple.fr"]]
    assert "/compte/password/reset/key/" in mailoutbox[0].body
    assert "/compte/password/reset/key/" not in mailoutbox[1].body


def test_staff_member_command_adds_lists_and_removes(capsys):
    from django.core.management.base import CommandError

    person = UserFactory(email="nouvelle@labo-ess.example")
    call_command("staff_member", "add", "Nouvelle@labo-ess.example")
    person.refresh_from_db()
    assert is_portal_staff(person) and not person.is_superuser
    call_command("staff_member", "list")
    assert "nouvelle@labo-ess.example" in capsys.readouterr().out
    call_command("staff_member", "remove", "nouvelle@labo-ess.example")
    person = type(person).objects.get(pk=person.pk)
    assert not person.is_staff and not is_portal_staff(person)
    with pytest.raises(CommandError, match="Aucun compte"):
        call_command("staff_member", "add", "inconnue@exemple.fr")
    # A staff member who lost their phone and codes: the second factor is erased, and the
    # portal asks for a new one at the next request.
    staff = StaffFactory()
    call_command("staff_member", "reset-2fa", staff.email)
    assert not Authenticator.objects.filter(user=staff).exists()


def test_the_admin_login_form_cannot_skip_the_second_factor(client):
    staff = StaffFactory()
    response = client.post(
        reverse("admin:login") + "?next=/admin/poles/pole/",
        {"username": staff.email, "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2Fpoles%2Fpole%2F"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    forged = client.get(reverse("admin:login") + "?next=https://exemple.com/")
    assert forged["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"


def test_only_staff_decide_on_signatures_even_through_the_services():
    from django.core.exceptions import PermissionDenied

    from charter import services
    from charter.seed import seed_version_1

    signature = SignatureFactory(version=seed_version_1())
    coordinator = UserFactory()
    PoleCoordinatorFactory(pole=signature.pole, user=coordinator)
    for by in (coordinator, UserFactory(is_staff=True)):  # the flag alone is not enough
        with pytest.raises(PermissionDenied):
            services.signature_validate(signature=signature, by=by)
        with pytest.raises(PermissionDenied):
            services.signature_refuse(signature=signature, by=by, reason="Non")
    signature.refresh_from_db()
    assert signature.status == "submitted"
    services.signature_validate(signature=signature, by=StaffFactory())
    signature.refresh_from_db()
    assert signature.status == "validated"
