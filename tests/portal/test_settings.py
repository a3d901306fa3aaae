"""Settings come from the environment: each case imports them in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Variables the settings read; every case starts from none of them.
SETTINGS_ENV = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "PTCE_PG_PORT",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "CSRF_TRUSTED_ORIGINS",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "MAINTENANCE_MODE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "REDIS_URL",
    "CACHE_KEY_PREFIX",
    "CONN_MAX_AGE",
    "DATABASE_CONNECT_TIMEOUT",
    "DATABASE_STATEMENT_TIMEOUT",
    "DATABASE_WAIT_DEADLINE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by tests/conftest.py for Playwright, refused in deployment
}
LONG_SECRET = "k9#Qz!v2$Lr8@Wm4^Tp6&Yx1*Hb3(Nc5)Gd7_Fs0+Je2=Ua4-Oi6~Ek8"

DUMP = """
import json
from portal import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "DEBUG": s.DEBUG,
    "SECRET_KEY": s.SECRET_KEY,
    "db": {k: db[k] for k in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")},
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "SITE_URL": s.SITE_URL,
    "CSRF_TRUSTED_ORIGINS": s.CSRF_TRUSTED_ORIGINS,
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL": s.ACCOUNT_DEFAULT_HTTP_PROTOCOL,
    "MAILERS": s.MAILERS,
    "SECURE_SSL_REDIRECT": getattr(s, "SECURE_SSL_REDIRECT", False),
    "SESSION_COOKIE_SECURE": getattr(s, "SESSION_COOKIE_SECURE", False),
    "CONN_MAX_AGE": db["CONN_MAX_AGE"],
    "OPTIONS": db["OPTIONS"],
    "CACHES": s.CACHES,
    "SESSION_ENGINE": s.SESSION_ENGINE,
}))
"""


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def load_settings(**env: str) -> dict:
    result = run_python(DUMP, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_debug_is_off_unless_set():
    result = run_python("import portal.settings")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_development_defaults_use_the_project_local_postgresql():
    s = load_settings(DEBUG="1", PTCE_PG_PORT="54400")
    assert s["DEBUG"] is True
    assert s["CONN_MAX_AGE"] == 0  # runserver's threads keep no idle connection
    assert s["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert s["SECRET_KEY"].startswith("django-insecure-")
    assert s["db"]["ENGINE"] == "django.db.backends.postgresql"
    assert (s["db"]["HOST"], s["db"]["PORT"], s["db"]["NAME"]) == ("127.0.0.1", 54400, "ptce")
    assert s["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert s["MAILERS"]["default"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_production_values_are_read_from_the_environment():
    s = load_settings(
        DEBUG="0",
        SECRET_KEY=LONG_SECRET,
        DATABASE_URL="postgres://portail:s3cret@db.internal:6543/ptce_prod",
        ALLOWED_HOSTS=" portail-ptce.fr , www.portail-ptce.fr,",
        SITE_URL="https://portail-ptce.fr/",
        EMAIL_HOST="smtp.portail-ptce.fr",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="robot",
        EMAIL_HOST_PASSWORD="motdepasse",
        EMAIL_USE_TLS="yes",
    )
    assert s["DEBUG"] is False
    assert s["SECRET_KEY"] == LONG_SECRET
    assert s["db"] == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "ptce_prod",
        "USER": "portail",
        "PASSWORD": "s3cret",
        "HOST": "db.internal",
        "PORT": 6543,
    }
    assert s["ALLOWED_HOSTS"] == ["portail-ptce.fr", "www.portail-ptce.fr"]
    assert s["SITE_URL"] == "https://portail-ptce.fr"
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://portail-ptce.fr"]
    assert s["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SESSION_COOKIE_SECURE"] is True
    mailer = s["MAILERS"]["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "smtp.portail-ptce.fr",
        "port": 587,
        "username": "robot",
        "password": "motdepasse",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 10,
    }
    # A database that does not answer fails within seconds (ptce_portal.unavailable).
    assert s["CONN_MAX_AGE"] == 60
    assert s["OPTIONS"] == {
        "connect_timeout": 3,
        "options": "-c statement_timeout=5s",
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 5,
        "keepalives_count": 3,
    }
    # No Redis: the shared cache is PostgreSQL's (one small server needs nothing more).
    assert s["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ptce_cache",
        "OPTIONS": {"MAX_ENTRIES": 50000},
        "KEY_PREFIX": "",
    }
    assert s["CACHES"]["documents"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert s["CACHES"]["documents"]["LOCATION"] == "ptce_document_cache"
    # Without Redis a cache read is a query too: sessions stay in their own table.
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_redis_url_makes_redis_the_shared_cache_with_short_timeouts():
    s = load_settings(
        DEBUG="0", SECRET_KEY=LONG_SECRET, REDIS_URL="redis://127.0.0.1:6379/3",
        CACHE_KEY_PREFIX="ptce",
    )  # fmt: skip
    assert s["CACHES"]["default"] == {
        # Django's, one client per pool (ptce_portal.redis_cache)
        "BACKEND": "ptce_portal.redis_cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        "KEY_PREFIX": "ptce",
    }
    # Rendered documents stay out of Redis: they would push out rate limits and TOTP codes.
    assert s["CACHES"]["documents"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    # Sessions are read through Redis (no session query per signed-in request).
    assert s["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_debug_off_refuses_to_start_on_a_per_process_cache():
    code = (
        "import django\n"
        "from django.conf import settings\n"
        "import portal.settings as s\n"
        "s.CACHES['default'] = {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}\n"
        "django.setup()\n"
    )
    result = run_python(
        code, DEBUG="0", SECRET_KEY=LONG_SECRET, DJANGO_SETTINGS_MODULE="portal.settings"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG is off but the cache default is per process" in (
        result.stderr
    )


def test_debug_off_without_secret_key_fails_clearly():
    result = run_python("import portal.settings", DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_a_database_other_than_postgresql_is_refused():
    result = run_python(
        "import portal.settings", DEBUG="1", DATABASE_URL="sqlite:///var/portail.db"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: The PTCE portal runs on PostgreSQL only" in result.stderr


def test_check_deploy_reports_no_warning():
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": LONG_SECRET,
            "ALLOWED_HOSTS": "portail-ptce.fr",
            "SITE_URL": "https://portail-ptce.fr",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    bad = [line for line in output.splitlines() if "WARNINGS" in line or "?:" in line]
    assert not bad, output
    assert "System check identified no issues" in output


def test_every_setting_read_from_the_environment_is_in_the_readme_table():
    """The README's settings tables name every variable portal/settings.py reads (a setting
    nobody can find is a setting nobody sets)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    source = (root / "portal" / "settings.py").read_text(encoding="utf-8")
    read = set(
        re.findall(
            r"(?:environ\.get|environ\[|env_[a-z]+|getenv)\(?\s*\"([A-Z][A-Z0-9_]+)\"", source
        )
    )
    readme = (root / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `")]  # settings tables
    documented = {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)}
    assert "CONTACT_EMAIL" in read and "MEDIA_BUCKET" in read  # the pattern still finds them
    assert read - documented == set()
