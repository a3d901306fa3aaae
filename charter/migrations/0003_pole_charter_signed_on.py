"""poles records the date its pole signed the charter (Pole.charter_signed_on, written by the
charter's services from now on): filled here from the validated signatures, with the rule of
charter.services.pole_signed_on (the latest version the pole signed)."""

from django.db import migrations


def fill(apps, schema_editor):
    Pole = apps.get_model("poles", "Pole")
    Signature = apps.get_model("charter", "Signature")
    latest = {}
    for pole_id, signed_on in (
        Signature.objects.filter(status="validated")
        .order_by("pole_id", "-version__number", "-signed_on")
        .values_list("pole_id", "signed_on")
    ):
        latest.setdefault(pole_id, signed_on)
    for pole_id, signed_on in latest.items():
        Pole.objects.filter(pk=pole_id).update(charter_signed_on=signed_on)


class Migration(migrations.Migration):
    dependencies = [
        ("charter", "0002_names_without_format_characters"),
        ("poles", "0006_pole_charter_signed_on"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
