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


def _create_cache_tables(sender, *, using="default", verbosity=1, **kwargs):
    """After every migrate: the tables of the database caches (settings.CACHES), so that the
    production recipe's `migrate` is enough. Existing tables are left as they are."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def _new_release(sender, **kwargs):
    """After every migrate (each deployment): pages cached by the previous code are rebuilt."""
    from . import versions

    versions.bump(versions.RELEASE)


class PtcePortalConfig(AppConfig):
    name = "ptce_portal"
    verbose_name = _("Portail PTCE")

    def ready(self):
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from . import versions
        from .unavailable import per_process_caches

        post_migrate.connect(_sync_staff_group, sender=self, dispatch_uid="ptce_staff_group")
        post_migrate.connect(_sync_site_domain, sender=self, dispatch_uid="ptce_site_domain")
        post_migrate.connect(_create_cache_tables, sender=self, dispatch_uid="ptce_cache_tables")
        versions.watch_every_write()
        # Rate limits, used second-factor codes and the maintenance switch hold across
        # workers and servers only in a shared cache: with DEBUG off, no start without one.
        local = per_process_caches(settings.CACHES)
        if local and not settings.DEBUG:
            raise ImproperlyConfigured(
                f"DEBUG is off but the cache {', '.join(local)} is per process "
                "(LocMemCache or DummyCache): set REDIS_URL, or leave CACHES to the database "
                "cache of portal/settings.py."
            )
        post_migrate.connect(_new_release, sender=self, dispatch_uid="ptce_new_release")
