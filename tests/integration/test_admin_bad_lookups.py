"""Hand-made admin URLs never answer 500: a year of 20 digits on every date field of every
registered model (date filters, date hierarchies), and lookups on an outbox message's text."""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from ptce_portal.mail import send_mail_on_commit
from ptce_portal.models import OutgoingEmail
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

HUGE_YEAR = "9" * 20


def date_lookups():
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if isinstance(field, models.DateField) and field.concrete:
                yield pytest.param(model, field.name, id=f"{model._meta.label}.{field.name}")


@pytest.mark.parametrize(("model", "field"), list(date_lookups()))
def test_a_huge_year_in_a_changelist_url_is_a_bad_lookup_not_a_500(client, model, field):
    user = StaffFactory(is_superuser=True)
    client.force_login(user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url, {f"{field}__year": HUGE_YEAR})
    assert response.status_code in (200, 302, 400), response.status_code


@pytest.mark.parametrize("lookup", ["body__contains", "body__icontains", "html_body__regex"])
def test_staff_cannot_probe_an_outbox_message_text_through_the_url(
    client, django_capture_on_commit_callbacks, lookup
):
    with django_capture_on_commit_callbacks(execute=False):  # stays pending: text kept
        send_mail_on_commit(
            to=["personne@exemple.fr"],
            subject="Réinitialisation",
            template_name="ptce_portal/email/account_deleted.txt",
            context={},
        )
    message = OutgoingEmail.objects.get()
    OutgoingEmail.objects.filter(pk=message.pk).update(
        kind="account/email/password_reset_key", body="Lien : /compte/password/reset/key/1-SECRET/"
    )
    client.force_login(StaffFactory())
    url = reverse("admin:ptce_portal_outgoingemail_changelist")
    # Refused whether the probe matches the text or not: nothing to learn from the answer.
    assert client.get(url, {lookup: "SECRET"}).status_code == 400
    assert client.get(url, {lookup: "NOMATCH"}).status_code == 400
    assert client.get(url, {"status__exact": message.status}).status_code == 200
