from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's site, whose index is the staff dashboard
    (portal.admin_site). Listed in INSTALLED_APPS in place of "django.contrib.admin"."""

    default_site = "portal.admin_site.PortalAdminSite"
