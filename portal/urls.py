from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from ptce_portal import views_accounts, views_personal_data

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sante/", views.health, name="health"),
    path("mon-espace/", views.dashboard, name="dashboard"),
    path(
        "mon-espace/mes-donnees.json",
        views_personal_data.personal_data_export,
        name="personal_data_export",
    ),
    path("mon-espace/supprimer/", views_personal_data.account_delete, name="account_delete"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("code-source/", views.source_code, name="source_code"),
    # Without a CSRF token: the switch is on every page, and a token would keep every page out
    # of the page cache (ptce_portal.page_cache). A forged request can only change the
    # language of the visitor's pages; `next` is still checked against the host.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path(
        "compte/confirm-email/renvoyer/",
        views_accounts.resend_verification,
        name="account_resend_verification",
    ),
    path("compte/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("poles.urls")),
    path("", include("charter.urls")),
    path("", include("referential.urls")),
    path("", include("events.urls")),
    path("", include("observatory.urls")),
    path("", include("resources.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
