"""Headless Chromium under the enforced Content-Security-Policy: the main pages load their
scripts and styles without one violation, and axe still finds nothing serious."""

import pytest

from poles.models import Pole
from tests.browser import log_in
from tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation the page reports (the securitypolicyviolation event), recorded from the
# first script on: the DevTools protocol adds it, which the policy does not restrict.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile || ""}:${event.lineNumber || ""})`
  );
});
"""


@pytest.fixture
def strict_page(page):
    """The page, recording CSP violations from the DOM event and from the console."""
    console = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.csp_console = console
    return page


def violations(page) -> list[str]:
    return page.evaluate("() => window.__cspViolations || []") + page.csp_console


def visit(page, path, axe_check) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, policy
    page.wait_for_load_state("load")
    axe_check(page)
    assert violations(page) == [], f"{path}: {violations(page)}"


def test_public_pages_run_under_the_policy(strict_page, seeded_portal, axe_check, settings):
    settings.MAP_TILE_URL = ""  # never fetch tiles from the network in tests
    pole = Pole.objects.filter(is_published=True).first()
    for path in ("/", "/carte/", pole.get_absolute_url(), "/journees/journee-nationale-2014/"):
        visit(strict_page, path, axe_check)
    # The map was drawn by its scripts, not refused.
    strict_page.goto("/carte/")
    assert strict_page.locator("#poles-map.is-active").count() == 1


def test_signing_form_and_admin_run_under_the_policy(strict_page, seeded_charter, axe_check):
    member = UserFactory(email="membre@pole-exemple.fr")
    log_in(strict_page, member.email)
    visit(strict_page, "/charte/signer/", axe_check)
    strict_page.goto("/compte/logout/")
    strict_page.get_by_role("button", name="Se déconnecter").last.click()

    staff = StaffFactory(email="equipe@labo-ess.example")
    log_in(strict_page, staff.email, totp_of=staff, next_url="/admin/", landing="**/admin/")
    assert violations(strict_page) == []
    pole = Pole.objects.first()
    for path in ("/admin/", "/admin/poles/pole/", f"/admin/poles/pole/{pole.pk}/change/"):
        strict_page.goto(path)
        strict_page.wait_for_load_state("load")
        assert violations(strict_page) == [], f"{path}: {violations(strict_page)}"
