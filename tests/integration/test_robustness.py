"""Robustness of the whole portal: bad input never gets a 5xx nor a half-written record.

On the seeded data plus a coordinator, an assessment, a registration and a pending signature,
every URL pattern of the project is requested as anonymous, a plain verified user, a pole
coordinator and staff; then list, filter and export pages get fuzzed query strings, every
view gets empty, garbage and oversized POST bodies, path parameters get malformed tokens and
codes, and the admin changelists and change pages of every registered model are opened.
A failure lists every (role, method, URL) that answered 5xx, with the exception raised.
"""

import copy
import html
import re
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import QueryDict
from django.urls import URLResolver, get_resolver, reverse

from tests.integration.world import COORDINATED_POLE, all_routes, crawl_targets

ROLES = ("anonymous", "user", "coordinator", "staff")
# Apps whose row counts must not move when a request is refused.
PROJECT_APPS = ("ptce_portal", "poles", "charter", "referential", "events", "account")
# The world (seeded data, users, objects) and the clients: tests/integration/conftest.py.


# --- Requests ----------------------------------------------------------------------------


def _counted_tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
        }
    )


def row_counts() -> dict[str, int]:
    """Row count of every table of the project's apps (many-to-many included), one query."""
    tables = _counted_tables()
    quote_name = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote_name(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


def call(client, method, url, failures, *, label, data=None, raw=None, check=False, **extra):
    """One request in a savepoint rolled back afterwards (requests do not depend on each
    other, the client keeps its session even through a logout); a 5xx or an exception is
    recorded in `failures`. With `check`, the response carries the row counts seen right
    after the request (`response.counts`)."""
    cookies = client.cookies
    client.cookies = copy.deepcopy(cookies)
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(url, data, **extra)
            elif raw is not None:
                response = client.generic(method, url, raw, **extra)
            else:
                response = client.post(url, data or {}, **extra)
            if check:
                response.counts = row_counts()
            transaction.set_rollback(True)
    except Exception as exc:  # the point is to report it
        failures.append(f"{label} {method} {url}: {exc.__class__.__name__}: {exc}"[:400])
        return None
    finally:
        client.cookies = cookies
    if response.status_code >= 500:
        failures.append(f"{label} {method} {url}: {response.status_code}")
    return response


def report(failures, what):
    assert not failures, f"{len(failures)} {what} failed:\n" + "\n".join(failures)


# --- 1. Every URL as every role ----------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_url_as_every_role(world, clients, role):
    failures = []
    targets = crawl_targets(world)
    assert len(targets) > 60
    for _route, url in targets:
        call(clients[role], "GET", url, failures, label=role)
    report(failures, f"GET requests as {role}")


# --- 2. Fuzzed query strings on list, filter and export pages ----------------------------

NASTY = [
    "abc",
    "-1",
    "0",
    "99999",
    "1.5",
    "1e400",
    "9" * 30,
    "inconnu",
    "<script>alert(1)</script>",
    "%",
    "_",
    "100%_sûr",
    'l\'"ESS"',
    "😀🇫🇷",
    "é" * 2000,
    "\x00",
    "a\x00b",
    "%00",
    " ",
    "\\",
    "../../etc/passwd",
]
GENERIC_PARAMS = ["page", "sort", "tri", "format", "o", "p", "q", "next"]
STAFF_FILTERS = ["q", "status", "category", "present"]
POLE_FILTERS = [
    "q",
    "region",
    "ancienne_region",
    "departement",
    "theme",
    "maturite",
    "statut",
    "laureat",
    "page",
]


# Each of these values goes into each parameter the page reads, on its own (pages that share
# a filter class share the work: the map and the API reuse the directory's PoleFilter).
CORE = ["abc", "-1", "1.5", "9" * 30, "<script>'\"%_", "😀", "é" * 2000, "\x00"]


def fuzz_endpoints() -> list[tuple[str, str, list[str]]]:
    """(role, path, the parameters tried one by one): one page per filter code path."""
    upcoming = {"slug": "journee-robustesse"}
    return [
        ("anonymous", reverse("poles:directory"), POLE_FILTERS),
        ("anonymous", reverse("poles:map"), ["q", "region", "page"]),
        ("anonymous", reverse("poles:map_embed"), []),
        ("anonymous", reverse("poles:api_json"), ["q", "region", "laureat"]),
        ("anonymous", reverse("poles:api_geojson"), []),
        ("anonymous", reverse("poles:api_csv"), []),
        ("anonymous", reverse("charter:signatories"), ["region", "tri"]),
        ("anonymous", reverse("charter:signatories_csv"), ["region", "tri"]),
        ("anonymous", reverse("charter:verify_form"), ["code"]),
        ("anonymous", reverse("charter:current"), []),
        ("anonymous", reverse("referential:presentation"), ["version"]),
        ("anonymous", reverse("referential:community"), []),
        ("anonymous", reverse("events:list"), []),
        ("anonymous", reverse("events:participants", kwargs=upcoming), []),
        ("anonymous", reverse("home"), []),
        ("coordinator", reverse("dashboard"), []),
        ("coordinator", reverse("referential:coordinator_home"), []),
        ("staff", reverse("charter:validation"), []),
        ("staff", reverse("referential:staff_overview"), []),
        ("staff", reverse("events:staff_participants", kwargs=upcoming), STAFF_FILTERS),
        ("staff", reverse("events:staff_participants_csv", kwargs=upcoming), ["q", "status"]),
    ]


def test_fuzzed_query_strings(world, clients):
    failures = []
    cases = 0

    def get(role, path, data):
        nonlocal cases
        cases += 1
        call(clients[role], "GET", path, failures, label=f"{role} {data!r}"[:200], data=data)

    for role, path, params in fuzz_endpoints():
        names = params + [p for p in GENERIC_PARAMS if p not in params]
        # Every parameter at once (pages that read none of them: a few values suffice).
        for value in NASTY if params else NASTY[::4]:
            get(role, path, dict.fromkeys(names, value))
        for name in params:
            for value in CORE:
                get(role, path, {name: value})
            # Repeated parameter, valid-looking values next to bad ones.
            get(role, path, {name: ["1", "x", ""]})
        if "page" in params:
            for page in ("abc", "-1", "0", "99999", "1.5", ""):
                get(role, path, {"page": page, "q": "é"})
    assert cases > 400
    report(failures, "fuzzed GET requests")


# --- 3. Empty, garbage and oversized POST bodies -----------------------------------------

# The role that gets past the permission checks of each route (default: the coordinator,
# a verified user with poles, an assessment and a signature).
POST_ROLE = {
    "poles:claim": "user",
    "poles:moderation": "regional",
    "poles:moderation_decide": "regional",
    "poles:propose": "user",
    "charter:decide": "staff",
    "charter:validation": "staff",
    "referential:staff_overview": "staff",
    "events:staff_participants": "staff",
    "events:staff_participants_csv": "staff",
    "events:staff_check_in": "staff",
    "events:staff_certificate": "staff",
    "events:staff_email": "staff",
    "account_login": "anonymous",
    "account_signup": "anonymous",
    "account_reset_password": "anonymous",
    "account_confirm_login_code": "anonymous",
}
# Files and feeds: no form behind them.
# (resources:attachment: a file download)
NOT_FORMS = re.compile(
    r"(pdf|csv|ics|geojson|json|health|proceedings|certificate|resources:attachment)$"
)
FIELD_RE = re.compile(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"')


def garbage_bodies(fields: list[str]) -> list[dict]:
    fields = fields or ["x"]
    return [
        {},
        dict.fromkeys(fields, "\x00"),
        dict.fromkeys(fields, "é" * 5000),
        dict.fromkeys(fields, "<script>'\"😀 %_ -1"),
        {name: ["", "a", "9" * 30] for name in fields},
        {"zzz": "1", "action": "inconnue", "next": "//exemple.com", "pk": "abc"},
    ]


def test_garbage_posts(world, clients):
    failures = []
    cases = 0
    seen_fields = {"action", "reason", "undo", "code", "choice", "comment"}
    for route, url in crawl_targets(world):
        if NOT_FORMS.search(route.name):
            continue
        role = POST_ROLE.get(route.name, "coordinator")
        client = clients[role]
        page = call(client, "GET", url, failures, label=role)
        html = page.content.decode(errors="replace") if page is not None else ""
        fields = set(FIELD_RE.findall(html)) - {"csrfmiddlewaretoken"}
        seen_fields |= fields
        if page is not None and page.status_code == 405:
            fields = seen_fields  # a POST-only action: the fields of the forms seen so far
        fields = sorted(fields)
        for body in garbage_bodies(fields):
            cases += 1
            before = row_counts()
            response = call(client, "POST", url, failures, label=role, data=body, check=True)
            if response is not None and response.status_code == 405:
                break  # a page that takes no POST
            refused = response is not None and response.status_code not in (301, 302, 303)
            if refused and response.counts != before:  # nothing written, not even half
                changed = {t: (before[t], n) for t, n in response.counts.items() if before[t] != n}
                failures.append(f"{role} POST {url} {body!r:.80}: rows changed {changed}")
    assert cases > 150
    report(failures, "garbage POST requests")


def test_oversized_and_malformed_bodies(world, clients):
    """Bodies Django refuses before any view runs, and bodies that are not a form at all."""
    failures = []
    targets = [
        ("anonymous", reverse("events:register", kwargs={"slug": "journee-robustesse"})),
        ("coordinator", reverse("charter:sign")),
        ("coordinator", reverse("poles:edit", kwargs={"slug": COORDINATED_POLE})),
        ("anonymous", reverse("referential:answer_home", kwargs={"token": "x"})),
        ("anonymous", reverse("account_signup")),
    ]
    too_many_fields = "&".join(f"f{i}=1" for i in range(1500))
    for role, url in targets:
        client = clients[role]
        for body, content_type in (
            ("x=" + "a" * 3_000_000, "application/x-www-form-urlencoded"),
            (too_many_fields, "application/x-www-form-urlencoded"),
            ("{pas du json", "application/json"),
            (b"\xff\xfe\x00garbage", "application/octet-stream"),
            (
                '--xx\r\nContent-Disposition: form-data; name="a"\r\n\r\n',
                "multipart/form-data; boundary=xx",
            ),
            ("a=%E9%ZZ&b=%00", "application/x-www-form-urlencoded"),
        ):
            response = call(
                client, "POST", url, failures, label=role, raw=body, content_type=content_type
            )
            if response is not None:
                assert response.status_code < 500
    report(failures, "malformed POST bodies")


# --- 4. Malformed tokens, codes, slugs and ids in URLs -----------------------------------

MALFORMED = {
    "str": ["x" * 300, "éàü😀", "ZZZZ-ZZZZ", "0000-0000-0000-0000", "\x00", "a b", "%", "..", "'"],
    "slug": ["x" * 300, "inconnu", "-", "_"],
    "int": ["0", "9" * 30, "2147483648", "9223372036854775808"],
}


def malformed_urls(world) -> list[str]:
    """Each path parameter in turn replaced by malformed values, the others real."""
    urls = []
    for route in all_routes():
        if not route.params:
            continue
        converters = _converters(route.name)
        real = world.kwargs.get(route.name, [{}])[0]
        for param in route.params:
            kind = converters.get(param, "str")
            marker = 987654321 if kind == "int" else f"MARKER{param}"
            kwargs = {p: real.get(p, f"MARKER{p}") for p in route.params} | {param: marker}
            base = reverse(route.name, kwargs=kwargs)
            for value in MALFORMED[kind]:
                urls.append(base.replace(str(marker), quote(value, safe=""), 1))
    return urls


def _converters(name: str) -> dict[str, str]:
    """Parameter -> converter kind of a named route (str for regex routes)."""
    from django.urls.converters import IntConverter, SlugConverter

    found = {}

    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif f"{namespace}{entry.name}" == name:
                for param, converter in getattr(entry.pattern, "converters", {}).items():
                    found[param] = (
                        "int"
                        if isinstance(converter, IntConverter)
                        else "slug"
                        if isinstance(converter, SlugConverter)
                        else "str"
                    )

    walk(get_resolver().url_patterns)
    return found


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "staff"])
def test_malformed_path_parameters(world, clients, role):
    failures = []
    urls = malformed_urls(world)
    assert len(urls) > 150
    for url in urls:
        call(clients[role], "GET", url, failures, label=role)
        if role == "coordinator" and not url.endswith((".pdf", ".csv", ".ics")):
            call(clients[role], "POST", url, failures, label=role, data={"x": "1"})
    report(failures, f"malformed URLs as {role}")


# --- 5. The admin of every registered model ----------------------------------------------

FILTER_LINK_RE = re.compile(r'href="\?([^"#]+)"')


def test_admin_of_every_model(world, clients):
    client = clients["staff"]
    failures = []
    cases = 0

    def get(url, data=None):
        nonlocal cases
        cases += 1
        return call(client, "GET", url, failures, label=f"staff {data!r}"[:120], data=data)

    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        page = get(changelist)
        filter_params = {}
        for query in FILTER_LINK_RE.findall(page.content.decode() if page else ""):
            params = QueryDict(html.unescape(query))
            new = {k: v for k, v in params.items() if k not in {*filter_params, "o", "p", "q"}}
            if new:  # one link of each filter the sidebar offers
                filter_params.update(new)
                get(changelist, params)
        for value in ("9" * 30, "\x00", "2014-99-99"):
            get(changelist, dict.fromkeys(filter_params, value))
        for data in (
            {"q": "%_'\" 😀 " + "é" * 2000},
            {"o": "abc.-1.99", "p": "abc"},
            {"p": "99999"},
            {"all": "", "_popup": "1", "_to_field": "password"},
            {"inconnu__exact": "1", "id__in": "1,abc"},
        ):
            get(changelist, data)
        if model_admin.has_add_permission(type("R", (), {"user": world.users["staff"]})()):
            get(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        views = [("change", pk) for pk in ("abc", "9" * 30, "%00")]
        if first is not None:
            views += [(view, quote(str(first.pk))) for view in ("change", "history", "delete")]
        for view, pk in views:
            base = reverse(f"admin:{info[0]}_{info[1]}_{view}", args=["MARKER"])
            get(base.replace("MARKER", pk))
    assert cases > 400
    report(failures, "admin requests")


def test_admin_custom_views_with_garbage_files(world, clients):
    """The CSV import of poles and the referential import: garbage in, no 5xx, no row."""
    client = clients["staff"]
    failures = []
    files = [
        ("vide.csv", b""),
        ("binaire.csv", bytes(range(256)) * 4),
        ("latin1.csv", "nom;région\nÉcole;Île-de-France\n".encode("latin-1")),
        ("colonnes.csv", b"a,b,c\n1,2,3\n"),
        ("nul.csv", b"name;slug\n\x00;\x00\n"),
        ("gros.csv", b"name;slug\n" + b"x;y\n" * 400_000),
        ("referentiel.yaml", b"version: [\n  - : :"),
        ("referentiel.yaml", b"code: v9\ntitle: x\ngeneral_objectives: 3\n"),
        ("bombe.yaml", b"a: &a [" + b"*a," * 50 + b"]"),
        ("sans-extension", b"\x89PNG\r\n"),
    ]
    for url in (
        reverse("admin:poles_pole_import_csv"),
        reverse("admin:referential_referentialversion_import"),
    ):
        call(client, "GET", url, failures, label="staff")
        for name, content in files:
            before = row_counts()
            upload = SimpleUploadedFile(name, content)
            response = call(
                client,
                "POST",
                url,
                failures,
                label=f"staff {name}",
                data={"file": upload, "code": "v-robustesse", "title": "x"},
                check=True,
            )
            if response is not None and response.counts != before:
                failures.append(f"staff POST {url} {name}: rows changed")
        response = call(
            client, "POST", url, failures, label="staff", data={"confirm": "1", "token": "\x00"}
        )
    report(failures, "admin imports")


# --- Regressions: one test per 5xx the crawl above found -----------------------------------------


pytestmark = pytest.mark.django_db


def test_referential_presentation_with_a_nul_byte_in_the_version_code(client):
    """?version=%00 reached PostgreSQL (DataError, 500); a non-slug code now shows the
    current version, like an unknown one."""
    from referential.seed import load_working_version

    version = load_working_version()
    for code in ("v1<script>", "é" * 200, "'", version.code):
        response = client.get("/referentiel/", {"version": code})
        assert response.status_code == 200
        assert response.context["version"] == version
    # NUL bytes are now refused before the view (RejectNulBytesMiddleware).
    assert client.get("/referentiel/", {"version": "a\x00b"}).status_code == 400


@pytest.mark.parametrize("suffix", ["", "partie-1/", "resultats/", "rapport.pdf"])
def test_referential_personal_link_that_cannot_be_a_token(client, suffix):
    """A token with a NUL byte reached PostgreSQL (DataError, 500): such a token is now
    unknown ("Lien inconnu", 404); NUL bytes in URLs are refused earlier with a 400."""
    from referential.selectors import invitation_by_token

    assert invitation_by_token("\x00") is None
    assert invitation_by_token("a\x00b") is None
    for token in ("%C3%A9t%C3%A9", "x" * 65):
        response = client.get(f"/referentiel/repondre/{token}/{suffix}")
        assert response.status_code == 404
        assert "Lien inconnu" in response.content.decode()
    assert client.get(f"/referentiel/repondre/%00/{suffix}").status_code == 400
    response = client.post("/referentiel/repondre/x%C3%A9/enregistrer/", {"code": "1.1.1"})
    assert response.status_code == 404
    assert response.json()["ok"] is False


def test_events_cancel_link_that_cannot_be_a_token(client):
    """A token with a NUL byte reached PostgreSQL (DataError, 500): such a token is now
    unknown (the "link not valid" page, 404), for GET and POST."""
    from events.selectors import registration_by_token
    from tests.events.factories import EventFactory

    event = EventFactory()
    assert registration_by_token(event.slug, "a\x00b") is None
    for token in ("%C3%A9t%C3%A9", "x" * 65):
        url = f"/journees/{event.slug}/inscription/{token}/"
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404


def test_nul_bytes_in_urls_get_a_french_400(client):
    """The admin's list filters passed `?kind__exact=%00` to PostgreSQL (DataError, 500);
    a NUL byte in a path or a query string is now refused before any view runs."""
    from tests.factories import StaffFactory

    for url in (
        "/charte/verifier/%00/",
        "/poles/?q=%00",
        "/poles/?%00=1",
        "/referentiel/?version=a%00",
    ):
        response = client.get(url)
        assert response.status_code == 400
        assert "Adresse non valide" in response.content.decode()
    client.force_login(StaffFactory())
    for url in (
        "/admin/poles/region/?kind__exact=%00",
        "/admin/poles/polecoordinator/?status__exact=%00",
        "/admin/referential/assessment/?status__exact=%00",
    ):
        assert client.get(url).status_code == 400
    assert client.get("/admin/poles/region/?kind__exact=former").status_code == 200


def test_charter_signature_admin_with_an_overflowing_date_hierarchy_year(client):
    """?created_at__year=<30 digits> raised OverflowError in Django's date hierarchy (500);
    it is now an incorrect lookup: the changelist redirects with ?e=1."""
    from tests.factories import StaffFactory

    client.force_login(StaffFactory())
    url = "/admin/charter/signature/"
    for year in ("9" * 30, "99999999999"):
        response = client.get(url, {"created_at__year": year})
        assert response.status_code == 302
        assert response["Location"].endswith("?e=1")
    assert client.get(url, {"created_at__year": "2014"}).status_code == 200


def test_referential_answers_with_nul_bytes(client):
    """A question code or a comment holding a NUL byte reached PostgreSQL (DataError, 500):
    now a clear refusal (400) and no answer saved."""
    from referential.models import Answer
    from referential.seed import load_working_version
    from tests.referential.factories import AssessmentFactory, InvitationFactory

    version = load_working_version()
    invitation = InvitationFactory(assessment=AssessmentFactory(version=version))
    autosave = f"/referentiel/repondre/{invitation.token}/enregistrer/"
    response = client.post(autosave, {"code": "1.1.1\x00", "choice": "3"})
    assert response.status_code == 400
    assert "Question inconnue" in response.json()["error"]
    response = client.post(autosave, {"code": "1.1.1", "choice": "3", "comment": "a\x00b"})
    assert response.status_code == 400
    assert "caractère non valide" in response.json()["error"]
    page = f"/referentiel/repondre/{invitation.token}/partie-1/"
    response = client.post(page, {"q-1.1.1": "2", "c-1.1.2": "\x00"})
    assert response.status_code == 400
    assert not Answer.objects.filter(invitation=invitation).exists()
    assert client.post(autosave, {"code": "1.1.1", "choice": "3"}).json()["ok"] is True


def test_poles_member_formset_caps_a_forged_total_forms(client):
    """membres-TOTAL_FORMS=<30 digits> built max_num + 1000 forms (seconds of CPU per
    request); the formset now stops at its 300-member limit and says so."""
    from poles.forms import MemberFormSet
    from tests.poles.factories import PoleCoordinatorFactory

    coordination = PoleCoordinatorFactory()
    client.force_login(coordination.user)
    response = client.post(
        f"/poles/{coordination.pole.slug}/modifier/",
        {"name": "x", "membres-TOTAL_FORMS": "9" * 30, "membres-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.total_form_count() <= 300
    assert not formset.is_valid()
    assert MemberFormSet.absolute_max == 300
