"""Personal data held by events: the person's registrations to national days (by account
or e-mail). See ptce_portal.personal_data for the contract."""

from ptce_portal import versions
from ptce_portal.personal_data import owned_by
from ptce_portal.tokens import new_token

from .apps import CONTENT_VERSION
from .models import Registration
from .services import registration_cancel


def _registrations(user):
    return Registration.objects.filter(owned_by(user, user_field="user", email_field="email"))


def export(user) -> dict:
    return {
        "inscriptions": [
            {
                "journee": r.event.title,
                "date": r.event.date,
                "prenom": r.first_name,
                "nom": r.last_name,
                "email": r.email,
                "organisation": r.organisation,
                "pole": r.pole.name if r.pole else None,
                "categorie": r.category,
                "besoins_d_accessibilite": r.accessibility_needs,
                "liste_publique_des_participants": r.public_consent,
                "statut": r.status,
                "inscrite_le": r.created_at,
                "annulee_le": r.cancelled_at,
                "presence_pointee_le": r.checked_in_at,
            }
            for r in _registrations(user)
            .select_related("event", "pole")
            .order_by("event__date", "pk")
        ]
    }


def personal_values(user) -> set[str]:
    values = set()
    for first, last in _registrations(user).values_list("first_name", "last_name"):
        values.update(v for v in (f"{first} {last}".strip(), f"{last} {first}".strip()) if v)
    return values


def owned_objects(user) -> dict:
    return {Registration: list(_registrations(user).values_list("pk", flat=True))}


def erase(user) -> None:
    """Registrations to days still to come are cancelled (the seat goes to the first person
    waiting); every registration is then kept without the person: name, e-mail,
    organisation and needs erased, off the public list, its link dead. Statuses and check-ins
    stay, so the counts of each day stay right."""
    registrations = list(_registrations(user).select_related("event"))
    for registration in registrations:
        if registration.is_active and not registration.event.is_past:
            registration_cancel(registration=registration)
    for registration in registrations:
        Registration.objects.filter(pk=registration.pk).update(
            first_name="—",
            last_name="—",
            email=f"efface-{registration.pk}@anonyme.invalid",
            organisation="",
            accessibility_needs="",
            public_consent=False,
            user=None,
            token=new_token(),
        )
    if registrations:  # update() sends no signal: the public list of participants changes
        versions.bump(CONTENT_VERSION)
