import functools
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make beside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"


def pytest_configure(config):
    """Compile the .po catalogues (polib) so that a bare `pytest` sees current translations."""
    if hasattr(config, "workerinput"):
        return  # xdist worker: the controller has already compiled them
    script = Path(__file__).resolve().parent.parent / "scripts" / "compile_translations.py"
    subprocess.run([sys.executable, str(script)], check=True, stdout=subprocess.DEVNULL)


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required for browser tests in CI (.ci/run installs it).")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="fr-FR", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@functools.cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def axe_check():
    """Run axe-core on the current page; fail on serious or critical violations."""

    def check(page, *, context: str | None = None):
        # Evaluated through the DevTools protocol, not added as an inline <script> that the
        # portal's Content-Security-Policy (script-src 'self') would refuse.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source())
        # Only the violations are aggregated (every node of each); passes and the rest are
        # cut short, which makes a run several times cheaper on large pages.
        result = page.evaluate(
            "async (ctx) => await axe.run(ctx || document, "
            "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, "
            "resultTypes: ['violations']})",
            context,
        )
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        details = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in bad
        )
        assert not bad, f"axe-core found serious/critical violations on {page.url}:\n{details}"
        return result

    return check


@pytest.fixture(autouse=True)
def _no_address_api(settings):
    """Tests never reach the national address API (poles geocoding): it is off unless a test
    points ADDRESS_API_URL at the local stand-in of tests/poles/address_api.py."""
    settings.ADDRESS_API_URL = ""


@pytest.fixture(autouse=True)
def _test_media_and_fast_hasher(settings, tmp_path):
    """Uploads and generated files go to a per-test directory, never var/media; passwords
    use a fast hasher (PBKDF2 costs about a second per factory user; hashing itself is
    Django's, not ours to test)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_instance(settings):
    """An instance declared a demo (DEMO_BANNER=1): the demo data and accounts may be loaded
    although tests run with DEBUG off."""
    settings.DEMO_BANNER = True


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts and ends with empty caches (allauth's rate limits, cached PDFs and
    documents)."""
    from django.core.cache import caches

    from ptce_portal.cached_documents import local_copies
    from ptce_portal.page_cache import personal_copies
    from ptce_portal.selectors import MAINTENANCE_CACHE_KEY

    for cache in caches.all():
        cache.clear()
    local_copies.clear()
    personal_copies.clear()
    # The maintenance switch as every request finds it in a warm shared cache (off): the query
    # that refreshes it every few seconds stays out of the query counts.
    caches["default"].set(MAINTENANCE_CACHE_KEY, False, None)
    yield
    for cache in caches.all():
        cache.clear()
    local_copies.clear()
    personal_copies.clear()


@pytest.fixture
def redis_cache(settings):
    """The shared cache of production, Redis (TEST_REDIS_URL, default the machine's on
    127.0.0.1:6379), as the default cache, under a key prefix of this test only: its keys are
    deleted at the end, nothing else is touched (never a FLUSHDB)."""
    import uuid

    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis ne répond pas sur {url}")
    prefix = f"ptce-test-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "ptce_portal.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        },
    }
    from django.core.cache import caches

    from ptce_portal.selectors import MAINTENANCE_CACHE_KEY

    caches["default"].set(MAINTENANCE_CACHE_KEY, False, None)
    yield caches["default"]
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def documents_in_postgresql(settings, db):
    """The documents' cache (PDFs, open data) as production keeps it: PostgreSQL's table (the
    tests' own settings keep it in the process). Emptied after the test."""
    from django.core.management import call_command

    from ptce_portal.cached_documents import document_cache

    settings.CACHES = {
        **settings.CACHES,
        "documents": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ptce_document_cache",
        },
    }
    call_command("createcachetable", verbosity=0)
    cache = document_cache()
    yield cache
    cache.clear()


# --- Shared fixtures: people and data the tests of every app use -----------------------------


@pytest.fixture
def staff(db):
    """A member of the Labo de l'ESS team (staff group and second factor), « Claire Équipe »."""
    from tests.factories import StaffFactory

    return StaffFactory(first_name="Claire", last_name="Équipe", email="claire@labo-ess.example")


@pytest.fixture
def staff_client(staff):
    """A test client signed in as `staff` (its own client: `client` stays anonymous)."""
    from django.test import Client

    signed_in = Client()
    signed_in.force_login(staff)
    return signed_in


@pytest.fixture
def seeded_poles(db):
    """The poles' reference data and the 40 signatories of 19 September 2014 (poles' seed)."""
    from poles import seed

    seed.run(stdout=io.StringIO())


@pytest.fixture
def seeded_charter(db):
    """The poles' seed and the 2014 charter with its 40 validated signatures."""
    call_command("seed_ptce", "--only", "poles", "charter", stdout=io.StringIO())


@pytest.fixture
def seeded_portal(db):
    """Every app's real data (`seed_ptce`, no demo)."""
    call_command("seed_ptce", stdout=io.StringIO())
