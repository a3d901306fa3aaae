"""Issue 7, done when: staff log in with a TOTP code, validate a pending signature from the
dashboard queue, and the change appears in the audit log with the staff member's name.

Headless Chromium on the live server, from the login form to the one log, the way the
team works: nothing is prepared through the admin or the test client once the browser runs.
"""

import pytest
from django.urls import reverse

from charter import services as charter_services
from charter.models import Signature
from charter.seed import seed_version_1
from tests.browser import log_in
from tests.charter.conftest import signature_data
from tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_validate_a_signature_from_the_dashboard_queue_and_find_it_in_the_log(
    page, axe_check
):
    seed_version_1()
    signer = UserFactory(first_name="Camille", last_name="Durand")
    signature = charter_services.signature_submit(
        user=signer, data=signature_data(signer), new_pole_name="Pôle des Monts du Forez"
    )
    staff = StaffFactory(first_name="Nadia", last_name="Benali")

    # Login: the password, then the code of the authenticator app.
    log_in(page, staff.email, totp_of=staff, next_url=reverse("admin:index"), landing="**/admin/")

    # The dashboard's queue of signatures to validate lists this one; its link opens its card.
    queue = page.locator("#queue-signatures")
    assert queue.locator(".ptce-queue-count").inner_text() == "1"
    axe_check(page)
    queue.get_by_role("link", name="Pôle des Monts du Forez").click()
    page.wait_for_url(f"**/charte/validation/#sig-{signature.pk}")
    card = page.locator(f"#sig-{signature.pk}")
    card.get_by_role("button", name="Valider la signature de Pôle des Monts du Forez").click()
    page.get_by_role("button", name="Oui, valider et publier").click()
    page.get_by_text("Signature de « Pôle des Monts du Forez » validée").wait_for()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.VALIDATED
    assert signature.validated_by == staff

    # Back on the dashboard the queue is empty; its link leads to the change log.
    page.goto(reverse("admin:index"))
    assert page.locator("#queue-signatures .ptce-queue-count").inner_text() == "0"
    page.get_by_role("link", name="Journal des modifications").first.click()
    page.wait_for_url("**/admin/audit/logentry/**")
    rows = page.locator("#result_list tbody tr")
    signature_rows = [
        text
        for text in rows.all_inner_texts()
        if "Nadia Benali" in text and "Pôle des Monts du Forez" in text
    ]
    assert signature_rows, rows.all_inner_texts()
    axe_check(page)

    # The entry itself says what changed: the status, from submitted to validated.
    page.goto(reverse("admin:charter_signature_change", args=[signature.pk]))
    recent = page.locator("#audit-recent").inner_text()
    assert "Nadia Benali" in recent
    assert "validée" in recent
