"""The world the integration tests walk through: the seeded data plus a coordinator, a
coordinator of another pole, a member, staff, an assessment, a registration and a pending
signature; and every named URL pattern of the project with real objects for its parameters.

Shared by the robustness crawl and the permission matrix (fixtures in conftest.py).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.charter.factories import SignatureFactory
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import StaffFactory, UserFactory, activate_totp
from tests.poles.factories import PoleCoordinatorFactory, PoleFactory
from tests.referential.factories import answer_all

COORDINATED_POLE = "domb-innov"
# A published signatory pole coordinated by someone else (object-level rules).
OTHER_POLE = "ecooparc"

# Named routes left out of the crawl, with why.
NOT_CRAWLED = {
    # allauth's key-carrying links: filled with forged keys in test_malformed_path_parameters.
    "account_confirm_email",
    "account_reset_password_from_key",
}


@dataclass
class World:
    users: dict
    kwargs: dict  # route name -> list of kwargs dicts (real objects)
    pole: object
    open_invitation: object
    objects: dict = field(default_factory=dict)  # name -> object, for the permission matrix


def build_world() -> World:
    from charter.models import Signature
    from charter.selectors import current_version
    from events.models import Event, SessionSpeaker
    from events.services import registration_create
    from observatory import services as obs_services
    from poles.models import Pole, PoleRevision, RegionalCoordination
    from referential import services as ref_services
    from tests.observatory.conftest import complete_values as observatory_values

    staff = StaffFactory(email="robustesse-equipe@exemple.fr")
    user = UserFactory(email="robustesse-personne@exemple.fr")
    coordinator = UserFactory(email="robustesse-coordination@exemple.fr")
    pole = Pole.objects.get(slug=COORDINATED_POLE)
    PoleCoordinatorFactory(pole=pole, user=coordinator)

    # Charter: the seeded (validated) signature of the pole, and a pending one to decide on.
    validated = Signature.objects.get(pole=pole, status=Signature.Status.VALIDATED)
    second_pole = PoleFactory(name="Pôle robustesse", slug="pole-robustesse", status="engaged")
    PoleCoordinatorFactory(pole=second_pole, user=coordinator)
    pending = SignatureFactory(version=current_version(), pole=second_pole, signer=coordinator)

    # Referential: a closed assessment with answers, and an open one with an unclaimed link.
    closed = ref_services.assessment_open(pole=pole, user=coordinator, title="Évaluation close")
    answered = ref_services.invitation_create(
        assessment=closed, email="repondant-clos@exemple.fr", category="ess", by=coordinator
    )
    answer_all(answered, lambda code: 3)
    ref_services.assessment_close(assessment=closed, by=coordinator)
    opened = ref_services.assessment_open(pole=pole, user=coordinator, title="Évaluation ouverte")
    open_invitation = ref_services.invitation_create(
        assessment=opened, email="repondant-ouvert@exemple.fr", category="ess", by=coordinator
    )

    # Events: the 2014 day with a speaker, an upcoming day with registrations.
    day_2014 = Event.objects.get(slug="journee-nationale-2014")
    speaker = SessionSpeaker.objects.filter(session__event=day_2014).first().person
    upcoming = EventFactory(title="Journée robustesse", slug="journee-robustesse")
    registration = registration_create(
        event=upcoming,
        first_name="Camille",
        last_name="Robuste",
        email="inscrite@exemple.fr",
        category="pole",
    ).registration
    checked_in = RegistrationFactory(event=upcoming, checked_in_at=timezone.now())

    # Observatory: the open 2026 campaign, the pole's report submitted, waiting for staff.
    campaign = obs_services.campaign_create(
        by=staff,
        year=2026,
        opens_on=timezone.localdate() - timedelta(days=10),
        closes_on=timezone.localdate() + timedelta(days=30),
    )
    campaign = obs_services.campaign_open(campaign=campaign, by=staff)
    report = obs_services.report_start(campaign=campaign, pole=pole, by=coordinator)
    obs_services.report_save(
        report=report, by=coordinator, values=observatory_values(campaign), submit=True
    )

    version_1 = current_version().number
    kwargs = {
        "poles:detail": [{"slug": pole.slug}],
        "poles:claim": [{"slug": pole.slug}],
        "poles:edit": [{"slug": pole.slug}],
        "poles:pictures": [{"slug": pole.slug}],
        "charter:version": [{"number": version_1}],
        "charter:signature": [{"code": s.verification_code} for s in (validated, pending)],
        "charter:signature_pdf": [{"code": validated.verification_code}],
        "charter:withdraw": [{"code": s.verification_code} for s in (validated, pending)],
        "charter:verify": [{"code": validated.verification_code}],
        "charter:decide": [{"code": pending.verification_code}],
        "charter:withdrawal_decide": [{"code": validated.verification_code}],
        **{
            f"referential:{name}": [{"pk": closed.pk}, {"pk": opened.pk}]
            for name in ("assessment", "invite", "close", "results", "report_pdf")
        },
        **{
            f"referential:invitation_{name}": [{"pk": open_invitation.pk}]
            for name in ("resend", "revoke")
        },
        **{
            f"referential:{name}": [{"token": answered.token}, {"token": open_invitation.token}]
            for name in ("answer_home", "answer_autosave", "token_results", "token_report_pdf")
        },
        "referential:answer_page": [
            {"token": open_invitation.token, "part": 1},
            {"token": answered.token, "part": 3},
        ],
        **{
            f"events:{name}": [{"slug": day_2014.slug}, {"slug": upcoming.slug}]
            for name in (
                "detail",
                "proceedings",
                "ics",
                "register",
                "registration_sent",
                "participants",
                "staff_participants",
                "staff_participants_csv",
                "staff_email",
            )
        },
        "events:person": [{"slug": day_2014.slug, "person_slug": speaker.slug}],
        "events:registration_manage": [{"slug": upcoming.slug, "token": registration.token}],
        "events:staff_check_in": [{"slug": upcoming.slug, "pk": registration.pk}],
        "events:staff_certificate": [{"slug": upcoming.slug, "pk": checked_in.pk}],
        **{
            f"observatory:{name}": [{"slug": pole.slug, "year": 2026}]
            for name in ("report_edit", "report_autosave", "staff_review")
        },
        **{
            f"observatory:{name}": [{"year": 2026}]
            for name in ("staff_campaign", "staff_campaign_state")
        },
    }
    # Object-level rules: a coordinator of another pole, with their own assessment.
    other_coordinator = UserFactory(email="robustesse-autre-pole@exemple.fr")
    other_pole = Pole.objects.get(slug=OTHER_POLE)
    PoleCoordinatorFactory(pole=other_pole, user=other_coordinator)
    # Peers: Y offers help on an objective; X asked Y for an exchange there.
    help_offer, exchange = _peers(
        pole=pole, coordinator=coordinator, other_pole=other_pole, helper=other_coordinator
    )
    kwargs["resources:help_offers"] = [{"slug": pole.slug}, {"slug": other_pole.slug}]
    kwargs["resources:exchange_new"] = [{"slug": pole.slug, "offer": help_offer.pk}]
    kwargs["resources:exchange"] = [{"pk": exchange.pk}]
    kwargs["resources:exchange_decide"] = [{"pk": exchange.pk}]
    kwargs["resources:exchange_withdraw"] = [{"pk": exchange.pk}]
    # A pole not published yet (proposed by the coordinator): only they and staff see it.
    unpublished = PoleFactory(name="Pôle non publié", slug="pole-non-publie", is_published=False)
    PoleCoordinatorFactory(pole=unpublished, user=coordinator)
    # An edit of the pole waiting for staff review (admin pages of PoleRevision).
    revision = PoleRevision.objects.create(pole=pole, proposed_by=coordinator, data={})
    # A request to coordinate the pole, and the regional coordination of its former region
    # (Rhône-Alpes, as in 2014), which moderates it.
    request = PoleCoordinatorFactory(pole=pole, status="requested")
    regional = UserFactory(email="robustesse-region@exemple.fr")
    RegionalCoordination.objects.create(user=regional, region=pole.former_region)
    activate_totp(regional)  # a regional coordination signs in with a second factor, as staff
    # Observatory (public side): an accepted report of 2024, for the yearly PDF.
    from tests.observatory.public_helpers import report as observatory_report

    observatory_report(year=2024, pole=pole)
    kwargs["observatory:report_pdf"] = [{"year": 2024}, {"year": 2099}]
    kwargs["poles:moderation_decide"] = [
        {"kind": "demande", "pk": request.pk},
        {"kind": "modification", "pk": revision.pk},
    ]
    # Resources: a published resource of the coordinator's, and a draft, each with a file.
    from resources import services as resource_services
    from resources.demo import tiny_pdf

    def _resource(title: str, *, publish: bool):
        from django.core.files.base import ContentFile

        resource = resource_services.resource_create(
            by=coordinator,
            data=resource_services.ResourceData(
                title=title, kind="document", summary="Une ressource du monde de test."
            ),
            uploads=[ContentFile(tiny_pdf(title), name="ressource.pdf")],
        )
        if publish:
            resource_services.resource_submit(resource=resource, by=coordinator)
            resource_services.resource_publish(resource=resource, by=staff)
        return resource

    published_resource = _resource("Ressource publiée", publish=True)
    draft_resource = _resource("Ressource brouillon", publish=False)
    for name in ("detail", "edit", "submit"):
        kwargs[f"resources:{name}"] = [
            {"slug": published_resource.slug},
            {"slug": draft_resource.slug},
        ]
    kwargs["resources:decide"] = [{"slug": published_resource.slug}]
    for name in ("attachment", "attachment_delete"):
        kwargs[f"resources:{name}"] = [
            {"slug": r.slug, "pk": r.attachments.get().pk}
            for r in (published_resource, draft_resource)
        ]
    return World(
        users={
            "user": user,
            "coordinator": coordinator,
            "other_coordinator": other_coordinator,
            "regional": regional,
            "staff": staff,
            # Staff who has not activated the second factor yet: sent to the activation page.
            "staff_without_2fa": StaffFactory(email="robustesse-sans-2fa@exemple.fr", totp=False),
        },
        kwargs=kwargs,
        pole=pole,
        open_invitation=open_invitation,
        objects={
            "pole": pole,
            "other_pole": other_pole,
            "unpublished_pole": unpublished,
            "pole_revision": revision,
            "coordination_request": request,
            "validated_signature": validated,
            "pending_signature": pending,
            "closed_assessment": closed,
            "open_assessment": opened,
            "answered_invitation": answered,
            "open_invitation": open_invitation,
            "day_2014": day_2014,
            "upcoming": upcoming,
            "speaker": speaker,
            "registration": registration,
            "checked_in": checked_in,
            "observatory_campaign": campaign,
            "observatory_report": report,
            "published_resource": published_resource,
            "draft_resource": draft_resource,
            "help_offer": help_offer,
            "exchange": exchange,
        },
    )


def _peers(*, pole, coordinator, other_pole, helper):
    """A help offer of `other_pole` (its coordinator `helper`) and an open exchange request
    of `pole` (its `coordinator`) on it."""
    from referential.selectors import current_version
    from resources import peers_services as peer_services
    from resources.models import HelpOffer

    principal = current_version().principal_objectives.order_by("code").first()
    peer_services.help_offers_save(
        pole=other_pole, by=helper, objectives=[principal], offers={principal.pk: "Entraide"}
    )
    offer = HelpOffer.objects.get(pole=other_pole, objective=principal)
    exchange = peer_services.exchange_request_create(
        requester_pole=pole, offer=offer, by=coordinator, message="Pouvons-nous échanger ?"
    )
    return offer, exchange


# --- URL patterns ------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[str, ...]


def all_routes(patterns=None, namespace="") -> list[Route]:
    """Every named route of the project (admin excepted), walking includes recursively."""
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes.extend(all_routes(entry.url_patterns, inner))
        elif isinstance(entry, URLPattern):
            if entry.name is None and str(entry.pattern).startswith("^media/"):
                continue  # uploaded files, served by Django only with DEBUG on
            assert entry.name, f"unnamed URL pattern {entry.pattern}: cannot be crawled"
            params = tuple(entry.pattern.regex.groupindex)
            routes.append(Route(f"{namespace}{entry.name}", params))
    return routes


def crawl_targets(world) -> list[tuple[Route, str]]:
    """(route, path) for every route, path parameters filled with real objects."""
    targets = []
    for route in all_routes():
        if route.name in NOT_CRAWLED:
            continue
        if not route.params:
            targets.append((route, reverse(route.name)))
            continue
        assert route.name in world.kwargs, f"{route.name}: no real object to fill {route.params}"
        for kwargs in world.kwargs[route.name]:
            targets.append((route, reverse(route.name, kwargs=kwargs)))
    return targets
