from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_staff_group(sender, *, using="default", verbosity=1, **kwargs):
    """After every migrate (and test-database flush): the staff group and its permissions.
    Permissions of every app are created first: this app's signal comes before the apps
    listed after it in INSTALLED_APPS."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from .permissions import sync_staff_group

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_staff_group(using=using)


def _sync_site_domain(sender, *, using="default", **kwargs):
    """After every migrate: the Site's domain from SITE_URL (ptce_portal.sites)."""
    from .sites import sync_site_domain

    sync_site_domain(using=using)


class PtcePortalConfig(AppConfig):
    name = "ptce_portal"
    verbose_name = _("Portail PTCE")

    def ready(self):
        post_migrate.connect(_sync_staff_group, sender=self, dispatch_uid="ptce_staff_group")
        post_migrate.connect(_sync_site_domain, sender=self, dispatch_uid="ptce_site_domain")
