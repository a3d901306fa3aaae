"""The staff dashboard at /admin/: queues that wait for a decision, signatory poles by region
and per year (server-side SVG with tables), access, and a query count that does not grow."""

import datetime
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from charter.models import Signature
from charter.seed import seed_version_1
from events.models import Registration
from observatory.models import Report
from poles.models import Pole, PoleCoordinator, PoleRevision
from portal import selectors
from ptce_portal import charts
from resources import services as resource_services
from tests.charter.factories import SignatureFactory
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import FailedEmailFactory, StaffFactory, UserFactory
from tests.markup import compact
from tests.observatory.public_helpers import report
from tests.poles.factories import DepartmentFactory, PoleCoordinatorFactory, PoleFactory

pytestmark = pytest.mark.django_db

QUEUE_KEYS = [
    "coordinations",
    "revisions",
    "signatures",
    "withdrawals",
    "waitlist",
    "observatory_reports",
    "resources",
    "emails",
]


def dashboard(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response


def queues(response) -> dict:
    return {queue.key: queue for queue in response.context["staff_queues"]}


def test_nothing_waiting(client, staff):
    response = dashboard(client, staff)
    assert list(queues(response)) == QUEUE_KEYS
    assert all(queue.count == 0 for queue in queues(response).values())
    assert response.context["staff_queues_total"] == 0
    html = response.content.decode()
    assert html.count("Rien en attente.") == len(QUEUE_KEYS)
    assert "Aucune signature validée pour l'instant." in html
    # The usual app list stays below, directory first.
    labels = [app["app_label"] for app in response.context["app_list"]]
    assert labels[:7] == [
        "poles",
        "charter",
        "referential",
        "events",
        "resources",
        "observatory",
        "ptce_portal",
    ]


def test_each_queue_counts_its_item_and_links_to_it(client, staff):
    version = seed_version_1()
    request = PoleCoordinatorFactory(
        status=PoleCoordinator.Status.REQUESTED, pole__name="Pôle qui demande"
    )
    PoleCoordinatorFactory(status=PoleCoordinator.Status.APPROVED)  # decided: not waiting
    revision = PoleRevision.objects.create(
        pole=PoleFactory(name="Pôle relu"), proposed_by=UserFactory(), data={"town": "Niort"}
    )
    signature = SignatureFactory(version=version, pole__name="Pôle qui signe")
    withdrawing = SignatureFactory(
        version=version,
        pole__name="Pôle qui se retire",
        status="validated",
        validated_at=timezone.now(),
        register_number=41,
        withdrawal_reason="Le pôle cesse son activité.",
        withdrawal_requested_at=timezone.now(),
    )
    day = EventFactory(title="Journée complète", capacity=1)
    RegistrationFactory(event=day, status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=day, status=Registration.Status.CANCELLED)
    past = EventFactory(
        date=timezone.localdate() - timedelta(days=3),
        registration_opens_at=timezone.now() - timedelta(days=30),
        registration_closes_at=timezone.now() - timedelta(days=5),
    )
    RegistrationFactory(event=past, status=Registration.Status.WAITLISTED)  # day is over
    email = FailedEmailFactory()
    observatory_report = report(
        state=Report.State.SUBMITTED, pole=PoleFactory(name="Pôle qui rend compte")
    )
    resource = resource_services.resource_create(
        by=staff,
        data=resource_services.ResourceData(
            title="Ressource à relire", kind="tool", summary="Un outil."
        ),
    )
    resource_services.resource_submit(resource=resource, by=staff)

    response = dashboard(client, staff)

    counts = {key: queue.count for key, queue in queues(response).items()}
    assert counts == dict.fromkeys(QUEUE_KEYS, 1)
    assert response.context["staff_queues_total"] == len(QUEUE_KEYS)
    html = response.content.decode()
    links = {
        reverse("admin:poles_polecoordinator_change", args=[request.pk]),
        reverse("admin:poles_polecoordinator_changelist") + "?status__exact=requested",
        reverse("admin:poles_polerevision_change", args=[revision.pk]),
        reverse("admin:poles_polerevision_changelist") + "?status__exact=pending",
        f"{reverse('charter:validation')}#sig-{signature.pk}",
        f"{reverse('charter:validation')}#retrait-{withdrawing.pk}",
        reverse("charter:validation"),
        reverse("events:staff_participants", args=[day.slug]) + "?status=waitlisted",
        reverse("admin:events_registration_changelist") + "?status__exact=waitlisted",
        reverse("admin:ptce_portal_outgoingemail_change", args=[email.pk]),
        reverse("admin:ptce_portal_outgoingemail_changelist") + "?status__exact=failed",
        reverse(
            "observatory:staff_review",
            kwargs={"year": observatory_report.campaign.year, "slug": observatory_report.pole.slug},
        ),
        f"{reverse('resources:moderation')}#res-{resource.pk}",
        reverse("resources:moderation"),
    }
    for link in links:
        assert f'href="{link}"' in html, link
    for name in (
        "Pôle qui demande",
        "Pôle relu",
        "Pôle qui signe",
        "Journée complète",
        "Pôle qui se retire",
        "Pôle qui rend compte",
        "Ressource à relire",
    ):
        assert name in html
    assert "1 en liste d&#x27;attente, 0 / 1 places prises" in html

    # The signature link leads to its card, with the decision forms, on the validation page.
    page = client.get(reverse("charter:validation")).content.decode()
    assert f'id="sig-{signature.pk}"' in page
    assert reverse("charter:decide", args=[signature.verification_code]) in page


def test_oldest_waiting_item_and_its_age(client, staff):
    old = PoleCoordinatorFactory(status=PoleCoordinator.Status.REQUESTED)
    PoleCoordinatorFactory(status=PoleCoordinator.Status.REQUESTED)
    three_days_ago = timezone.now() - timedelta(days=3, hours=1)
    PoleCoordinator.objects.filter(pk=old.pk).update(requested_at=three_days_ago)

    response = dashboard(client, staff)

    queue = queues(response)["coordinations"]
    assert queue.count == 2
    assert queue.oldest == three_days_ago
    assert queue.items[0].url == reverse("admin:poles_polecoordinator_change", args=[old.pk])
    assert "La plus ancienne attend depuis 3" in response.content.decode()


def test_only_five_items_are_listed_but_all_are_counted(client, staff):
    for _ in range(7):
        PoleCoordinatorFactory(status=PoleCoordinator.Status.REQUESTED)
    queue = queues(dashboard(client, staff))["coordinations"]
    assert queue.count == 7
    assert len(queue.items) == 5


def test_signatory_poles_by_region_on_the_seed(client, staff, seeded_charter):
    response = dashboard(client, staff)
    statistics = response.context["statistics"]

    assert statistics["total"] == 40
    assert sum(count for _name, count in statistics["current"]) == 40
    assert sum(count for _name, count in statistics["former"]) == 40
    current = dict(statistics["current"])
    former = dict(statistics["former"])
    assert len(current) == 18  # every current region, those with no signatory at 0
    assert len(former) == 27  # the 27 regions before 2016 (22 metropolitan, 5 overseas)
    assert current["Île-de-France"] == 8
    assert current["Corse"] == 0
    assert former["Rhône-Alpes"] == 6
    assert former["Nord-Pas-de-Calais"] == 1
    # The same figures as counting the poles themselves.
    by_pole = dict(
        Pole.objects.filter(status=Pole.Status.SIGNATORY)
        .values_list("region__name")
        .annotate(n=Count("pk"))
    )
    assert {name: n for name, n in current.items() if n} == by_pole
    # Most signatories first.
    assert statistics["current"][0] == ("Île-de-France", 8)

    years = statistics["years"]
    assert years[0] == (2014, 40, 40)
    assert years[-1] == (timezone.localdate().year, 0, 40)
    assert [year for year, _new, _total in years] == list(
        range(2014, timezone.localdate().year + 1)
    )

    html = compact(response.content.decode())
    assert "40 pôles signataires de la charte" in html
    for uid in ("chart-current-regions", "chart-former-regions", "chart-years"):
        assert f'aria-labelledby="{uid}-title {uid}-desc"' in html
        assert f'<title id="{uid}-title">' in html
    assert html.count('role="img"') == 3
    # Text equivalents: one table per chart, with a caption.
    assert len(re.findall(r'<div class="visually-hidden">\s*<table>\s*<caption>', html)) == 3
    assert '<th scope="row">Île-de-France</th><td>8</td>' in html
    assert "Aucun pôle signataire : Corse" in html


def test_signatories_count_once_in_the_year_of_their_first_signature():
    version = seed_version_1()
    pole = PoleFactory()
    now = timezone.now()
    SignatureFactory(
        version=version,
        pole=pole,
        status=Signature.Status.VALIDATED,
        validated_at=now,
        register_number=1,
        signed_on=datetime.date(2015, 3, 1),
    )
    SignatureFactory(
        version=version,
        pole=PoleFactory(),
        status=Signature.Status.VALIDATED,
        validated_at=now,
        register_number=2,
        signed_on=datetime.date(2017, 6, 1),
    )
    SignatureFactory(version=version, pole=PoleFactory())  # submitted: not a signatory yet
    from charter.selectors import signatories_by_year

    assert signatories_by_year(until=2018) == [
        (2015, 1, 1),
        (2016, 0, 1),
        (2017, 1, 2),
        (2018, 0, 2),
    ]


def test_anonymous_and_members_are_sent_to_the_admin_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_staff_flag_without_the_staff_group_does_not_open_the_dashboard(client):
    user = StaffFactory()
    user.groups.clear()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_queue_shows_only_to_those_allowed_to_act_on_it():
    assert [queue.key for queue in selectors.staff_queues(StaffFactory())] == QUEUE_KEYS
    assert selectors.staff_queues(UserFactory()) == []
    # Model permissions alone are not enough for the queues handled on portal pages (the
    # validation page and the participants list are for the staff group).
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["charter", "events"],
            codename__in=["change_signature", "change_registration"],
        )
    )
    assert selectors.staff_queues(user) == []


def add_data(*, poles: int, pending: int, version, start: int):
    """`poles` poles with a validated signature (over several years) and `pending` items in
    each queue, numbered from `start` so that calls add up."""
    department = DepartmentFactory()
    created = Pole.objects.bulk_create(
        Pole(
            name=f"Pôle {i}",
            slug=f"pole-{i}",
            region=department.region,
            former_region=department.former_region,
            status=Pole.Status.SIGNATORY,
            is_published=True,
        )
        for i in range(start, start + poles)
    )
    now = timezone.now()
    Signature.objects.bulk_create(
        Signature(
            version=version,
            pole=pole,
            pole_name=pole.name,
            place="Lyon",
            signed_on=datetime.date(2014 + i % 6, 9, 19),
            commitment_build=True,
            commitment_community=True,
            status=Signature.Status.VALIDATED,
            validated_at=now,
            register_number=start + i,
        )
        for i, pole in enumerate(created)
    )
    day = EventFactory(capacity=1)
    for i in range(pending):
        PoleCoordinatorFactory(status=PoleCoordinator.Status.REQUESTED)
        PoleRevision.objects.create(pole=created[i], data={})
        SignatureFactory(version=version, pole=PoleFactory(status=Pole.Status.ENGAGED))
        RegistrationFactory(event=day, status=Registration.Status.WAITLISTED)
        FailedEmailFactory(subject=f"Message {start + i}")


def test_query_count_does_not_grow_with_the_data(client, staff):
    version = seed_version_1()
    client.force_login(staff)
    add_data(poles=40, pending=2, version=version, start=1)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/admin/").status_code == 200

    add_data(poles=160, pending=8, version=version, start=1000)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/admin/")
    assert response.status_code == 200
    assert response.context["statistics"]["total"] == 200
    assert queues(response)["signatures"].count == 10
    assert queues(response)["waitlist"].count == 10
    assert len(queues(response)["waitlist"].items) == 2  # one line per day
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert len(large) <= 30


def test_charts_are_accessible_svg_with_locale_independent_coordinates():
    with translation.override("fr"):
        svg = charts.hbar_chart(
            uid="t",
            title="Pôles par région",
            description="Détail dans le tableau.",
            rows=[("Provence-Alpes-Côte d'Azur et un nom bien trop long", 3), ("Corse", 0)],
        )
        columns = charts.column_chart(uid="c", title="Par année", rows=[(2014, 40), (2015, 0)])
    for markup in (svg, columns):
        assert 'role="img"' in markup
        numbers = re.findall(r'\s(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', markup)
        assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in numbers)
    assert 'aria-labelledby="t-title t-desc"' in svg
    assert '<title id="t-title">Pôles par région</title>' in svg
    assert "…" in svg  # long labels shortened on the chart, full in the bar's tooltip
    assert "<title>Provence-Alpes-Côte d&#x27;Azur et un nom bien trop long : 3</title>" in svg
    assert 'aria-labelledby="c-title"' in columns


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_in_a_narrow_browser_light_and_dark(page, live_server, axe_check, settings):
    from django.test import Client

    from charter import seed as charter_seed
    from poles import seed as poles_seed

    poles_seed.run(stdout=io.StringIO())
    charter_seed.run(stdout=io.StringIO())
    SignatureFactory(version=seed_version_1(), pole__name="Pôle qui signe")
    PoleCoordinatorFactory(status=PoleCoordinator.Status.REQUESTED)
    staff = StaffFactory()
    browser_client = Client()
    browser_client.force_login(staff)  # the TOTP login itself is tested elsewhere
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": browser_client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.set_viewport_size({"width": 390, "height": 900})
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto("/admin/")
        assert page.get_by_role("heading", name="À traiter").is_visible()
        assert page.get_by_role("img", name="Pôles signataires par région actuelle").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        axe_check(page)

    page.get_by_role("link", name="Pôle qui signe").click()
    assert page.url.endswith("#sig-" + str(Signature.objects.get(pole_name="Pôle qui signe").pk))
    assert page.get_by_role("button", name="Valider la signature de Pôle qui signe").is_visible()


def test_a_signed_in_member_opening_the_admin_gets_a_page_not_a_redirect_loop(client):
    """/admin/ -> /admin/login/ -> /compte/login/ -> /admin/… looped forever for a signed-in
    account that is not staff: the admin login now answers 403 with a way to Mon espace."""
    for user in (UserFactory(), StaffFactory()):
        if user.is_staff:
            user.groups.clear()  # the staff flag without the staff group: not staff
        client.force_login(user)
        response = client.get("/admin/poles/pole/", follow=True)
        assert response.status_code == 403
        assert len(response.redirect_chain) == 1  # /admin/login/?next=…, then the page
        assert "Administration réservée à l'équipe" in response.text
        assert reverse("dashboard") in response.text
