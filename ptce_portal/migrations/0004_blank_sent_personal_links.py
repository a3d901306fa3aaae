"""Messages sent before their text was blanked on sending still hold personal links
(password reset, invitation, registration links): blank them now, as sending does since."""

from django.db import migrations
from django.db.models import Q

# Frozen copy of ptce_portal.mail.PERSONAL_LINK_KINDS at the time of this migration.
PERSONAL_LINK_KINDS = ("account/email/", "referential/email/invitation", "events/email/")


def blank_sent_personal_links(apps, schema_editor):
    OutgoingEmail = apps.get_model("ptce_portal", "OutgoingEmail")
    kinds = Q()
    for prefix in PERSONAL_LINK_KINDS:
        kinds |= Q(kind__startswith=prefix)
    OutgoingEmail.objects.filter(kinds, status="sent").update(body="", html_body="")


class Migration(migrations.Migration):
    dependencies = [("ptce_portal", "0003_outgoing_email")]

    operations = [migrations.RunPython(blank_sent_personal_links, migrations.RunPython.noop)]
