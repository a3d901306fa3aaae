"""Headless Chromium: staff read an object's history and filter the one log (axe-checked)."""

import pytest
from django.urls import reverse

from charter import services as charter_services
from charter.seed import seed_version_1
from tests.browser import log_in
from tests.charter.conftest import signature_data
from tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_reads_a_signature_history_and_filters_the_log(page, axe_check):
    seed_version_1()
    signer = UserFactory(first_name="Camille", last_name="Durand")
    signature = charter_services.signature_submit(
        user=signer, data=signature_data(signer), new_pole_name="Pôle du Vercors"
    )
    staff = StaffFactory(first_name="Claire", last_name="Équipe")
    log_in(page, staff.email, totp_of=staff)

    # Validate from the staff validation page (charter:decide), as the team does.
    page.goto(reverse("charter:validation"))
    page.get_by_role("button", name="Valider la signature de Pôle du Vercors").click()
    page.get_by_role("button", name="Oui, valider et publier").click()
    page.get_by_text("Signature de « Pôle du Vercors » validée").wait_for()

    page.goto(reverse("admin:charter_signature_change", args=[signature.pk]))
    recent = page.locator("#audit-recent")
    assert "Claire Équipe" in recent.inner_text()
    assert "validée" in recent.inner_text()
    page.locator(".object-tools").get_by_role("link", name="Journal des modifications").click()
    page.wait_for_url(f"**/charter/signature/{signature.pk}/auditlog/")
    history = page.locator("#audit-history").inner_text()
    assert "Création" in history and "Modification" in history and "Claire Équipe" in history
    axe_check(page)

    page.goto(reverse("admin:audit_logentry_changelist"))
    page.locator("#changelist-filter").get_by_role("link", name="Claire Équipe").click()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() >= 2  # the signature, the pole it published
    for text in rows.all_inner_texts():
        assert "Claire Équipe" in text
    axe_check(page)
