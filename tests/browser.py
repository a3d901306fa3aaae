"""Helpers of the browser tests (Playwright pages of the `page` fixture)."""

import re
from urllib.parse import urlencode

from tests.factories import DEFAULT_PASSWORD, totp_code


def log_in(page, email, *, totp_of=None, next_url=None, landing="**/mon-espace/"):
    """Through the login form, as a person would: the password, then for staff (`totp_of`,
    a StaffFactory user) the code of their authenticator app; waits for `landing`."""
    page.goto("/compte/login/" + (f"?{urlencode({'next': next_url})}" if next_url else ""))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill(DEFAULT_PASSWORD)
    page.locator("main form").get_by_role("button", name="Se connecter").click()
    if totp_of is not None:
        page.wait_for_url("**/compte/2fa/authenticate/**")
        page.locator("input[name=code]").fill(totp_code(totp_of))
        page.locator("main form").get_by_role("button").first.click()
    page.wait_for_url(landing)
