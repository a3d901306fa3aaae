"""A new staff member's first login in a real browser: the portal asks for an authenticator
app, they confirm their password, scan (here: read) the secret, type a code, note the
recovery codes, then the admin opens; at the next login the code is asked after the
password. The pages pass axe-core."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.factories import DEFAULT_PASSWORD, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_of(secret: str, *, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def login(page, email):
    page.goto("/compte/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill(DEFAULT_PASSWORD)
    page.locator("main form").get_by_role("button", name="Se connecter").click()


def test_first_staff_login_activates_totp_then_logs_in_with_a_code(
    page, browser, live_server, axe_check
):
    staff = StaffFactory(email="nouvelle-equipe@labo-ess.example", totp=False)
    login(page, staff.email)
    # Staff without a second factor: allauth first confirms the password…
    page.wait_for_url("**/compte/reauthenticate/**", timeout=30_000)
    assert "authentification à deux facteurs" in page.locator(".messages").inner_text()
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill(DEFAULT_PASSWORD)
    page.locator("main form").get_by_role("button", name="Confirmer").click()
    # …then shows the secret (QR code and text) to add to an authenticator app.
    page.wait_for_url("**/compte/2fa/totp/activate/")
    axe_check(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Code affiché par votre application").fill(code_of(secret))
    page.locator("main form").get_by_role("button", name="Activer").click()
    # The recovery codes come next; the admin now opens.
    page.wait_for_url("**/compte/2fa/recovery-codes/**")
    assert page.locator("textarea").input_value().count("\n") >= 9
    axe_check(page)
    page.goto("/admin/")
    assert "/admin/" in page.url and "2fa" not in page.url

    # Next time, in a new browser: the password, then a code.
    page = browser.new_context(locale="fr-FR", base_url=live_server.url).new_page()
    login(page, staff.email)
    page.wait_for_url("**/compte/2fa/authenticate/", timeout=30_000)
    axe_check(page)
    page.get_by_label("Code").fill("000000")
    page.locator("main form").get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()
    assert page.url.endswith("/compte/2fa/authenticate/")  # refused, still asked
    page.get_by_label("Code").fill(code_of(secret))
    page.locator("main form").get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/mon-espace/")
    page.goto("/charte/validation/")
    assert page.get_by_role("heading", level=1).count() == 1 and "validation" in page.url
    page.context.close()
