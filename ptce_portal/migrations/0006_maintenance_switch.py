from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion


def create_the_switch(apps, schema_editor):
    MaintenanceSwitch = apps.get_model("ptce_portal", "MaintenanceSwitch")
    MaintenanceSwitch.objects.get_or_create(pk=1, defaults={"enabled": False})


class Migration(migrations.Migration):
    dependencies = [
        ("ptce_portal", "0005_outgoing_email_kind_example"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="MaintenanceSwitch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("enabled", models.BooleanField(default=False, help_text="Cochée : tous les serveurs du portail répondent « Maintenance en cours » (503) aux visiteurs en quelques secondes ; l'équipe garde l'accès à l'admin pour la décocher.", verbose_name="maintenance en cours")),
                ("changed_at", models.DateTimeField(auto_now=True, verbose_name="modifié le")),
                ("changed_by", models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="modifié par")),
            ],
            options={
                "verbose_name": "interrupteur de maintenance",
                "verbose_name_plural": "interrupteur de maintenance",
                "constraints": [models.CheckConstraint(condition=models.Q(("pk", 1)), name="maintenance_switch_single_row")],
            },
        ),
        migrations.RunPython(create_the_switch, migrations.RunPython.noop),
    ]
