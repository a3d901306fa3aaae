"""Settings for the PTCE portal, read from the environment (12-factor).

DEBUG is off unless set: `make run` and the tests (portal/settings_test.py) set DEBUG=1.
Development needs nothing else: without DATABASE_URL the project-local PostgreSQL started by
`make run` / `make test` (scripts/localpg.py) is used. Production sets SECRET_KEY,
ALLOWED_HOSTS, SITE_URL, DATABASE_URL and the e-mail settings (.env.example).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-dev-only-key-for-the-ptce-portal-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:{port}/ptce".format(
    port=os.environ.get("PTCE_PG_PORT", "54329")
)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or LOCAL_DATABASE_URL,
        # runserver serves each request in a thread of its own: kept connections would pile up
        # (one per thread), so development keeps none.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "The PTCE portal runs on PostgreSQL only (DATABASE_URL=postgres://…)."
    )
# A database that does not answer fails the request within seconds (the French 503 page,
# ptce_portal.unavailable), well before gunicorn's 30 s timeout: connecting; each statement,
# on the server (0 turns it off, e.g. for a long migration); and each wait of a web request
# on a server that accepts but never answers, on the client
# (ptce_portal.unavailable.ServiceUnavailableMiddleware). Both are off with DEBUG on.
# Keepalives notice a peer that went away while a connection was idle.
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
DATABASE_STATEMENT_TIMEOUT = int(
    os.environ.get("DATABASE_STATEMENT_TIMEOUT", "0" if DEBUG else "5")
)
DATABASE_WAIT_DEADLINE = float(os.environ.get("DATABASE_WAIT_DEADLINE", "0" if DEBUG else "6"))
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options.update(
    connect_timeout=DATABASE_CONNECT_TIMEOUT,
    keepalives=1,
    keepalives_idle=30,
    keepalives_interval=5,
    keepalives_count=3,
)
if DATABASE_STATEMENT_TIMEOUT:
    _db_options["options"] = " ".join(
        filter(
            None,
            [_db_options.get("options"), f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT}s"],
        )
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "portal.admin_apps.PortalAdminConfig",  # django.contrib.admin + staff dashboard
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",  # the form renderer finds Django's widget templates
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "auditlog",  # audit trail (django-auditlog), before "audit" which replaces its admin
    "audit",
    "ptce_portal",
    "poles",
    "charter",
    "referential",
    "events",
    "observatory",
    "resources",
    "portal",
]

MIDDLEWARE = [
    # First: anonymous pages from the shared cache, signed-in ones from this process's copies
    # while the database has not changed (ptce_portal.page_cache). A hit skips every
    # middleware below; a miss goes through them all, so what it keeps carries their headers
    # (security, CSP, privacy). Never during maintenance; the same bound and French 503 as
    # the next one when PostgreSQL does not answer.
    "ptce_portal.page_cache.PageCacheMiddleware",
    # The French 503 when PostgreSQL or Redis is down, each database wait bounded.
    "ptce_portal.unavailable.ServiceUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "ptce_portal.middleware.PrivacyHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Maintenance (staff's switch, read through the shared cache): staff still get through.
    "ptce_portal.middleware.MaintenanceModeMiddleware",
    "auditlog.middleware.AuditlogMiddleware",  # actor of audit log entries
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ptce_portal.middleware.RejectNulBytesMiddleware",
    "ptce_portal.middleware.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

# Every form drawn the same way: field template, error summary (ptce_portal/form_renderer.py).
FORM_RENDERER = "ptce_portal.form_renderer.PortalFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ptce_portal.context_processors.portal",
            ],
        },
    },
]

AUTH_USER_MODEL = "ptce_portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
SITE_ID = 1

# allauth: e-mail is the login, verification is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
# Nothing typed twice: one password field (its strength is checked, and the reset by e-mail
# recovers a mistyped one).
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# The link of the e-mail confirms the address and, in the browser that signed up, signs in and
# goes on to where the person was going (the charter's form): no extra page and button.
ACCOUNT_CONFIRM_EMAIL_ON_GET = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = _("[Portail PTCE] ")  # lazy: English e-mails get the English prefix
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Account e-mails go through the mail outbox (recorded, retried): ptce_portal.mail.
ACCOUNT_ADAPTER = "ptce_portal.adapters.AccountAdapter"
# No account enumeration: signup with a known e-mail and reset for an unknown one answer
# exactly as the normal case (an e-mail tells the owner what happened).
ACCOUNT_PREVENT_ENUMERATION = True
# …with the same timing: a known address also hashes the password (ptce_portal.forms).
# allauth's forms in the portal's words (labels from the portal's catalogue, in both languages).
ACCOUNT_FORMS = {
    "login": "ptce_portal.forms.LoginForm",
    "signup": "ptce_portal.forms.SignupForm",
    "add_email": "ptce_portal.forms.AddEmailForm",
    "change_password": "ptce_portal.forms.ChangePasswordForm",
    "set_password": "ptce_portal.forms.SetPasswordForm",
    "reset_password": "ptce_portal.forms.ResetPasswordForm",
    "reset_password_from_key": "ptce_portal.forms.ResetPasswordKeyForm",
    "reauthenticate": "ptce_portal.forms.ReauthenticateForm",
}
# Rate limits (allauth, in the cache; "429.html" when exceeded). Other actions: allauth's
# defaults. login_failed: per IP, and per e-mail address (key) over 5 minutes.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "reset_password_from_key": "20/m/ip",
    # The portal's own forms that write to an address typed by anyone (ptce_portal.ratelimits):
    # registration for a national day, per client and per address typed.
    "event_registration": "20/h/ip,3/h/key",
}
# Behind a reverse proxy, rate limits per IP need the client's address: the number of proxies
# that append to X-Forwarded-For (1 with the nginx site of the README); 0 uses REMOTE_ADDR.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Second factor (allauth.mfa): TOTP app and recovery codes, mandatory for staff
# (ptce_portal.middleware.StaffSecondFactorMiddleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# …which staff cannot deactivate (ptce_portal.adapters.MFAAdapter).
MFA_ADAPTER = "ptce_portal.adapters.MFAAdapter"
MFA_FORMS = {
    "authenticate": "ptce_portal.forms.MfaAuthenticateForm",
    "reauthenticate": "ptce_portal.forms.MfaReauthenticateForm",
    "activate_totp": "ptce_portal.forms.ActivateTOTPForm",
}
MFA_TOTP_ISSUER = "Portail PTCE"
# One 30-second step either side: a phone whose clock drifts a little, or a code typed as it
# changes, still works (RFC 6238 recommends allowing for such drift); a used code stays used.
MFA_TOTP_TOLERANCE = 1

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files (the pictures of poles, speakers and days) go through Django's storage API:
# local files under MEDIA_ROOT (served at /media/ by `runserver` in development, by nginx in
# production), or, when MEDIA_BUCKET is set, an S3-compatible object store through
# django-storages, so that several application servers share them (docs/deployment.md).
# The pictures are public and their URLs are cached in the map's points: no signed URLs.
MEDIA_ORIGINS = env_list("MEDIA_ORIGINS", "")  # where pictures come from, for the CSP
if os.environ.get("MEDIA_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MEDIA_BUCKET"],
            "endpoint_url": os.environ.get("MEDIA_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_REGION") or None,
            "custom_domain": os.environ.get("MEDIA_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("MEDIA_PREFIX", "media"),
            "default_acl": os.environ.get("MEDIA_ACL", "public-read") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    # Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment (boto3).
    if os.environ.get("MEDIA_CUSTOM_DOMAIN"):
        MEDIA_ORIGINS.append("https://" + os.environ["MEDIA_CUSTOM_DOMAIN"].rstrip("/"))
    elif os.environ.get("MEDIA_ENDPOINT_URL"):
        from urllib.parse import urlsplit as _urlsplit

        _endpoint = _urlsplit(os.environ["MEDIA_ENDPOINT_URL"])
        MEDIA_ORIGINS += [
            f"{_endpoint.scheme}://{_endpoint.netloc}",
            f"{_endpoint.scheme}://{os.environ['MEDIA_BUCKET']}.{_endpoint.netloc}",
        ]

# E-mail (Django 6.1 MAILERS): console in development, SMTP otherwise. The environment
# keeps the familiar EMAIL_* names; tests swap every mailer for locmem automatically.
_mail_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_mail_options: dict = {}
if _mail_backend == "django.core.mail.backends.smtp.EmailBackend":
    _mail_options = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": int(os.environ.get("EMAIL_TIMEOUT", "10")),
    }
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Portail PTCE <ne-pas-repondre@ptce.example>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
STAFF_NOTIFICATION_EMAIL = os.environ.get("STAFF_NOTIFICATION_EMAIL", "")
# Who receives the error reports (a 500: traceback and request, secrets masked), from
# SERVER_EMAIL: ADMINS="Name <a@example.org>,b@example.org". Unset: errors go to the log only,
# and the 500 page does not say that anyone was warned.
ADMINS = env_list("ADMINS", "")
# Where people write about their personal data (shown on /donnees-personnelles/).
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "")
# Where people write when something goes wrong with their account (shown on the account
# pages); the team's address by default.
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", STAFF_NOTIFICATION_EMAIL)

# The cache holds what every process must share: rate limits, used second-factor codes, the
# maintenance switch. DEBUG off refuses a per-process cache (ptce_portal.checks): Redis when
# REDIS_URL is set, otherwise PostgreSQL's table "ptce_cache" (one small server needs no
# Redis; `migrate` creates the table). Rendered documents (PDFs, open data files) go to an
# alias of their own, in PostgreSQL, so that they never push out the small keys.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "")
if REDIS_URL:
    _default_cache = {
        "BACKEND": "ptce_portal.redis_cache.RedisCache",
        "LOCATION": REDIS_URL,
        # A Redis that does not answer fails the request quickly (a French 503), not 30 s on.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
elif DEBUG:
    _default_cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
else:
    _default_cache = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ptce_cache",
        # Room enough that a flood of keys never culls the rate limits of real visitors.
        "OPTIONS": {"MAX_ENTRIES": 50000},
    }
CACHES = {
    "default": {**_default_cache, "KEY_PREFIX": CACHE_KEY_PREFIX},
    "documents": (
        {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "documents"}
        if DEBUG
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "ptce_document_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    ),
}

# Map tiles: any XYZ tile server, OpenStreetMap's by default. The French public alternative is
# IGN's Plan IGN (ptce_portal.map_tiles.PLAN_IGN_URL; README « Fond de carte »). Empty: no
# tiles, the maps draw France's outline only. MAP_TILE_ATTRIBUTION (HTML) overrides the
# attribution, which is otherwise translated for OpenStreetMap and Plan IGN.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")


# Where the map's tiles come from (the CSP's img-src): the tile URL's origin, "{s}." subdomains
# as a wildcard; MAP_TILE_ORIGINS (comma-separated) adds others, e.g. a second tile server.
def _tile_origins(url: str) -> list[str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}.", "subdomain-placeholder."))
    if not parts.scheme or not parts.netloc:
        return []
    return [f"{parts.scheme}://{parts.netloc.replace('subdomain-placeholder.', '*.')}"]


MAP_TILE_ORIGINS = _tile_origins(MAP_TILE_URL) + env_list("MAP_TILE_ORIGINS", "")
# National address API (geocoding of new poles), at IGN's Géoplateforme; "" disables it.
ADDRESS_API_URL = os.environ.get("ADDRESS_API_URL", "https://data.geopf.fr/geocodage/search")

# Where the footer's « Code source » link goes (AGPL-3.0-or-later, section 13: the people who
# use the portal can get the source of the version that runs): the public repository of this
# instance's code. Unset: the portal's own /code-source/ page (licence, version).
SOURCE_CODE_URL = os.environ.get("SOURCE_CODE_URL", "")

# Maintenance: staff flip the switch in the admin (« Interrupteur de maintenance »); this
# variable forces it on for the instances that read it (e.g. during a migration).
MAINTENANCE_MODE = env_bool("MAINTENANCE_MODE", False)
# `make run` sets it: every page then says that the demo data is fictional.
DEMO_BANNER = env_bool("DEMO_BANNER", False)

# Security: strict by default once DEBUG is off (`manage.py check --deploy` is clean).
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions: in PostgreSQL, read through Redis when there is one (a signed-in request then makes
# no session query); ptce_portal.sessions.end_sessions drops both copies. Without Redis the
# cache is PostgreSQL's own table: a cache read would be a query too, so sessions stay in theirs.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
# Content-Security-Policy, enforced (django.middleware.csp): scripts and styles from the portal's
# own static files only (no inline script, <style> or style=""), images from the portal and the
# map's tile server, no framing except the map for partner sites (poles.views.public.map_embed,
# csp_override with CSP_FRAMABLE).
CSP_FRAMABLE = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *MAP_TILE_ORIGINS, *MEDIA_ORIGINS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
}
SECURE_CSP = {**CSP_FRAMABLE, "frame-ancestors": [CSP.NONE]}
# Powerful browser features the portal never uses, refused to its pages and what they embed
# (ptce_portal.middleware.PrivacyHeadersMiddleware, which also keeps personal pages out of caches).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
        "browsing-topics",
    )
)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Logs on stderr, personal-link secrets masked (ptce_portal.log_masking); errors (500s) also
# e-mailed to ADMINS when set, through Django's mail_admins.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_secrets": {"()": "ptce_portal.log_masking.MaskSecretsFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "skip_unavailable": {"()": "ptce_portal.unavailable.SkipUnavailable"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_secrets"]},
        "mail_admins": {
            "class": "ptce_portal.error_reports.MaskedAdminEmailHandler",
            "level": "ERROR",
            # Not the 503s of an outage (ptce_portal.unavailable): /sante/ tells.
            "filters": ["mask_secrets", "require_debug_false", "skip_unavailable"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Replaces Django's default handlers of "django" (its mail_admins has no filter).
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        # WeasyPrint's steps (about 20 lines a PDF, one per page); ptce_portal.pdf logs one.
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# What each app adds (Mon espace panel, home figures, staff queues, personal data, seed and
# demo, audited models, staff permissions, e-mails with personal links): its own
# `<app>/contributions.py`, discovered by portal.apps (see ptce_portal/contributions.py).

# Audit trail (django-auditlog; models and masked fields in each app's contributions.py).
# No IP addresses in the log: the actor is enough, and it is personal data we need not keep.
AUDITLOG_DISABLE_REMOTE_ADDR = True
