"""`make scale-check`: two application servers behind a load balancer, proved over HTTP.

Starts, on this machine only (loopback):
  - a PostgreSQL database of its own, <DATABASE_URL's name>_scale, rebuilt at each run
    (migrate, seed_ptce --demo: the demo accounts, their second factor, closed assessments);
  - one Redis database (REDIS_URL; its keys get a prefix of this run, deleted at the end);
  - a local SMTP stand-in that counts deliveries (tests/ptce_portal/smtp_server.py);
  - two gunicorn instances (deploy/gunicorn.conf.py, 2 workers each, DEBUG off);
  - nginx in front of them, round robin, TLS with a throw-away certificate, adding an
    X-Upstream header that tells which instance answered;
then checks THROUGH THE BALANCER, printing each step and what it saw:
  1. a session opened on one instance serves on the other;
  2. a staff second-factor code used once is refused on every instance;
  3. the failed-login limit (5 per address) holds across instances;
  4. a closed assessment's PDF is rendered once for both instances;
  5. two mail runners, one per instance, send each queued message once;
  6. the maintenance switch flipped by staff puts both instances in 503, and back.
Everything it started is stopped by process id at the end. Exit status 1 if a check fails.

Settings: DATABASE_URL (the server where <name>_scale is made), REDIS_URL (default
redis://127.0.0.1:6379/0), SCALE_CHECK_PORTS="balancer instance1 instance2" (default: free
ports). Its files go to var/scale-check/ (logs of each process included).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VAR = ROOT / "var" / "scale-check"
PY = sys.executable
WORKERS_PER_INSTANCE = 2
# The demo data of seed_ptce --demo (public, fictitious; README).
STAFF_EMAIL = "equipe@labo-ess.example"
STAFF_PASSWORD = "demo-ptce-2014"
STAFF_TOTP_SECRET = "PTCEDEMOLABOESSBERCYSEPTEMBRE234"
COORDINATOR_EMAIL = "coordination@exemple.org"
COORDINATOR_PASSWORD = "demo-coordination"
QUEUED_MESSAGES = 40

started: list[subprocess.Popen] = []


def say(message: str = "") -> None:
    print(message, flush=True)


def fail(message: str) -> None:
    say(f"scale-check: {message}")
    raise SystemExit(2)


# --- Processes ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, name: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(f"{name} stopped at start (exit {process.returncode}); see {VAR}/")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    fail(f"{name} did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


def start(name: str, command: list[str], env: dict) -> subprocess.Popen:
    log = open(VAR / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    started.append(process)
    say(f"  started {name} (pid {process.pid})")
    return process


def stop_everything() -> None:
    for process in reversed(started):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # gunicorn and nginx stop their workers
    for process in reversed(started):
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if started:
        say(f"stopped {len(started)} processes by pid: {', '.join(str(p.pid) for p in started)}")
    started.clear()


def manage(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    if check and result.returncode != 0:
        fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def shell(code: str, env: dict) -> str:
    """What `code` prints last, run by `manage.py shell` with the instances' settings."""
    output = manage("shell", "--no-imports", "-c", code, env=env).stdout.strip()
    return output.splitlines()[-1] if output else ""


# --- Set-up ---------------------------------------------------------------------------------


def scale_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        fail("DATABASE_URL must name a PostgreSQL server (make scale-check sets it).")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "ptce"
    return urlunsplit(parts._replace(path=f"/{name}_scale"))


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def redis_client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def write_certificate() -> tuple[Path, Path]:
    cert, key = VAR / "cert.pem", VAR / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def nginx_binary() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not path:
        fail("nginx is not installed (apt-get install nginx; .ci/run does it).")
    return path


def write_balancer_config(balancer: int, instances: list[int], cert: Path, key: Path) -> Path:
    """The proxy part of deploy/nginx/ptce-portal.conf, with two servers in its upstream and
    an X-Upstream header that says which one answered (for this report only)."""
    servers = "\n".join(f"        server 127.0.0.1:{port} fail_timeout=0;" for port in instances)
    config = VAR / "nginx.conf"
    config.write_text(
        f"""
worker_processes 1;
pid {VAR}/nginx.pid;
error_log {VAR}/nginx-error.log;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 256; }}
http {{
    access_log {VAR}/nginx-access.log;
    client_body_temp_path {VAR}/nginx-body;
    proxy_temp_path {VAR}/nginx-proxy;
    fastcgi_temp_path {VAR}/nginx-fastcgi;
    uwsgi_temp_path {VAR}/nginx-uwsgi;
    scgi_temp_path {VAR}/nginx-scgi;
    upstream ptce_portal {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{balancer} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        client_max_body_size 10m;
        location / {{
            proxy_pass http://ptce_portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_redirect off;
            proxy_read_timeout 35s;
            proxy_next_upstream error;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""
    )
    return config


# --- HTTP through the balancer --------------------------------------------------------------


class Client:
    """A browser's session (cookies, CSRF token) talking to the balancer only."""

    def __init__(self, base: str, names: dict[str, str]):
        import requests
        import urllib3

        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        self.base = base
        self.names = names
        self.http = requests.Session()
        # No proxy nor CA bundle from the environment: straight to the loopback balancer,
        # whose throw-away certificate is not checked.
        self.http.trust_env = False
        self.http.verify = False

    def instance(self, response) -> str:
        return self.names.get(response.headers.get("X-Upstream", "?"), "?")

    def get(self, path: str, **kwargs):
        return self.http.get(self.base + path, allow_redirects=False, timeout=30, **kwargs)

    def post(self, path: str, data: dict, *, form_path: str | None = None):
        """POST as the page's form would, with the CSRF token of a GET of `form_path`."""
        page = self.get(form_path or path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        token = match[1] if match else self.http.cookies.get("csrftoken", "")
        response = self.http.post(
            self.base + path,
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Referer": self.base + (form_path or path), "Origin": self.base},
            allow_redirects=False,
            timeout=60,
        )
        return page, response


def totp_now(secret: str, *, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), what an authenticator app shows."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


# --- The checks -----------------------------------------------------------------------------


class Report:
    def __init__(self):
        self.results: list[tuple[str, bool]] = []

    def step(self, number: int, title: str) -> None:
        say()
        say(f"[{number}/6] {title}")

    def saw(self, text: str) -> None:
        say(f"      {text}")

    def verdict(self, title: str, ok: bool, why: str = "") -> None:
        self.results.append((title, ok))
        say(f"   => {'PASS' if ok else 'FAIL'}{': ' + why if why else ''}")


def log_in(client: Client, email: str, password: str, report: Report):
    page, response = client.post("/compte/login/", {"login": email, "password": password})
    location = response.headers.get("Location", "")
    report.saw(
        f"GET /compte/login/ on {client.instance(page)}; POST password on "
        f"{client.instance(response)} -> {response.status_code} {location}"
    )
    return response


def check_session(client: Client, report: Report) -> Client:
    report.step(1, "a session opened on one instance serves on the other")
    response = log_in(client, COORDINATOR_EMAIL, COORDINATOR_PASSWORD, report)
    served = []
    for _ in range(4):
        page = client.get("/mon-espace/")
        signed_in = page.status_code == 200 and COORDINATOR_EMAIL in page.text
        served.append((client.instance(page), signed_in))
        report.saw(
            f"GET /mon-espace/ on {client.instance(page)} -> {page.status_code}, "
            f"{'signed in as ' + COORDINATOR_EMAIL if signed_in else 'NOT signed in'}"
        )
    instances = {name for name, _ in served}
    ok = response.status_code == 302 and all(s for _, s in served) and len(instances) == 2
    report.verdict("session", ok, f"one session, served signed-in by {sorted(instances)}")
    return client


def check_totp(client_factory, report: Report) -> int:
    report.step(2, "a staff second-factor code used once is refused on every instance")
    first = client_factory()
    log_in(first, STAFF_EMAIL, STAFF_PASSWORD, report)
    # A fresh code: far enough from the end of its 30 s step to be used twice within it.
    while time.time() % 30 > 20:
        time.sleep(0.5)
    counter = int(time.time() // 30)
    code = totp_now(STAFF_TOTP_SECRET)
    _, accepted = first.post("/compte/2fa/authenticate/", {"code": code})
    admin = first.get("/admin/")
    report.saw(
        f"code {code} on {first.instance(accepted)} -> {accepted.status_code} "
        f"{accepted.headers.get('Location', '')}; GET /admin/ on {first.instance(admin)} -> "
        f"{admin.status_code}"
    )
    used_ok = accepted.status_code == 302 and admin.status_code == 200
    refused_on = set()
    replays = []
    for attempt in range(4):
        if len(refused_on) == 2:
            break
        replay = client_factory()
        log_in(replay, STAFF_EMAIL, STAFF_PASSWORD, report)
        _, response = replay.post("/compte/2fa/authenticate/", {"code": code})
        after = replay.get("/admin/")
        refused = response.status_code == 200 and after.status_code != 200
        replays.append(refused)
        if refused:
            refused_on.add(replay.instance(response))
        report.saw(
            f"same code {code} again (attempt {attempt + 1}) on {replay.instance(response)} -> "
            f"{response.status_code} ({'refused' if refused else 'ACCEPTED'}); GET /admin/ "
            f"-> {after.status_code}"
        )
    ok = used_ok and all(replays) and len(refused_on) == 2
    report.verdict("totp", ok, f"accepted once, then refused on {sorted(refused_on)}")
    return counter


LIMITED = "Trop de tentatives de connexion échouées"  # allauth's message (French)


def check_failed_login_limit(client: Client, report: Report) -> None:
    report.step(3, "the failed-login limit (5 per address in 5 minutes) holds across instances")
    outcomes, instances = [], []
    for attempt in range(1, 7):
        _, response = client.post(
            "/compte/login/",
            {"login": COORDINATOR_EMAIL, "password": f"wrong-password-{attempt}"},
        )
        limited = LIMITED in response.text or response.status_code == 429
        outcomes.append("limited" if limited else f"refused ({response.status_code})")
        instances.append(client.instance(response))
        report.saw(
            f"wrong password #{attempt} on {client.instance(response)} -> "
            f"{response.status_code}, {'« ' + LIMITED + ' »' if limited else 'wrong password'}"
        )
        client.get("/sante/")  # one more request: the next POST goes to the other instance
    _, right = client.post(
        "/compte/login/", {"login": COORDINATOR_EMAIL, "password": COORDINATOR_PASSWORD}
    )
    right_limited = right.status_code != 302 and (LIMITED in right.text or right.status_code == 429)
    report.saw(
        f"right password then, on {client.instance(right)} -> {right.status_code}, "
        f"{'still limited' if right_limited else 'SIGNED IN'}"
    )
    ok = (
        all(o.startswith("refused") for o in outcomes[:5])
        and outcomes[5] == "limited"
        and right_limited
        and len(set(instances)) == 2
    )
    report.verdict(
        "failed-login limit",
        ok,
        f"5 wrong passwords counted across {sorted(set(instances))}, the 6th and the right "
        "one refused",
    )


def check_pdf(client: Client, report: Report, env: dict, logs: dict[str, Path]) -> None:
    report.step(4, "a closed assessment's PDF is rendered once for both instances")
    # `client` is the coordinator's session of step 1 (its pole's report; the login of that
    # address is now limited by step 3, the session is not).
    pk = shell(
        "from referential.models import Assessment\n"
        "a = Assessment.objects.filter(status='closed', pole__slug='domb-innov')"
        ".order_by('closed_at').last() or Assessment.objects.filter(status='closed').first()\n"
        "print(a.pk)",
        env,
    )
    path = f"/referentiel/evaluations/{pk}/rapport.pdf"
    rendered_before = {name: log.read_text().count("PDF rendered") for name, log in logs.items()}
    bodies, seen = [], []
    for _ in range(4):
        response = client.get(path)
        bodies.append(response.content)
        seen.append(client.instance(response))
        report.saw(
            f"GET {path} on {client.instance(response)} -> {response.status_code} "
            f"{response.headers.get('Content-Type', '')}, {len(response.content)} bytes, "
            f"{response.elapsed.total_seconds() * 1000:.0f} ms"
        )
    time.sleep(0.5)  # the log lines reach the files
    rendered = {
        name: log.read_text().count("PDF rendered") - rendered_before[name]
        for name, log in logs.items()
    }
    for name, count in rendered.items():
        report.saw(f"{name}'s log: {count} « PDF rendered » line(s)")
    ok = (
        all(b.startswith(b"%PDF") for b in bodies)
        and len(set(bodies)) == 1
        and len(set(seen)) == 2
        and sum(rendered.values()) == 1
    )
    report.verdict(
        "pdf",
        ok,
        f"{len(bodies)} identical PDFs from {sorted(set(seen))}, rendered "
        f"{sum(rendered.values())} time(s) in all",
    )


def check_mail(report: Report, env_of: dict[str, dict], smtp) -> None:
    report.step(
        5, f"two mail runners, one per instance, send each of {QUEUED_MESSAGES} messages once"
    )
    any_env = next(iter(env_of.values()))
    run_id = secrets.token_hex(4)
    shell(
        "from django.core.mail import EmailMessage\n"
        "from ptce_portal.mail import record_message\n"
        f"for i in range({QUEUED_MESSAGES}):\n"
        f"    record_message(EmailMessage(subject=f'scale-check {run_id} #{{i}}', body='(démo)',"
        f" to=[f'destinataire-{{i}}@exemple.org']), kind='scale-check')\n",
        any_env,
    )
    report.saw(f"{QUEUED_MESSAGES} messages queued (pending) in the outbox")
    before = len(smtp.messages)
    runners = {
        name: subprocess.Popen(
            [PY, "manage.py", "send_queued_mail", "--no-purge"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        for name, env in env_of.items()
    }
    started.extend(runners.values())
    outputs = {name: runner.communicate(timeout=300)[0].strip() for name, runner in runners.items()}
    for name, output in outputs.items():
        report.saw(f"runner of {name}: {output.splitlines()[-1] if output else '(no output)'}")
    ours = [m for m in smtp.messages[before:] if run_id in str(m["message"]["Subject"])]
    subjects = [str(m["message"]["Subject"]) for m in ours]
    duplicates = len(subjects) - len(set(subjects))
    sent_counts = [
        int(m[1]) for o in outputs.values() for m in [re.search(r"(\d+) e-mail", o)] if m
    ]
    report.saw(
        f"SMTP stand-in received {len(ours)} of them, {len(set(subjects))} distinct, "
        f"{duplicates} duplicate(s); runners say they sent {sent_counts}"
    )
    ok = (
        len(ours) == QUEUED_MESSAGES
        and duplicates == 0
        and sum(sent_counts) == QUEUED_MESSAGES
        and all(runner.returncode == 0 for runner in runners.values())
    )
    report.verdict("mail", ok, f"{len(set(subjects))} delivered once each, split {sent_counts}")


# --- Main -----------------------------------------------------------------------------------


def main() -> int:
    ports = [int(p) for p in os.environ.get("SCALE_CHECK_PORTS", "").split()] or [
        free_port() for _ in range(3)
    ]
    balancer, *instance_ports = ports
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    for url in (redis_url,):
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            fail(f"{url}: scale-check talks to loopback only")
    db_url = scale_database_url()
    if urlsplit(db_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        fail("scale-check uses a PostgreSQL on loopback only")
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    prefix = f"scale-check-{secrets.token_hex(4)}"

    from tests.ptce_portal.smtp_server import SMTPStandIn

    smtp = SMTPStandIn(data_delay=0.02)  # a little slow, so that both runners overlap
    base_env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)},
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"https://127.0.0.1:{balancer}",
        "TRUSTED_PROXY_COUNT": "1",
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_ROOT": str(VAR / "media"),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_USE_TLS": "0",
        "MAINTENANCE_MODE": "0",
        "DEMO_BANNER": "1",  # seed_ptce --demo: this database is a throw-away demo
        "LOG_LEVEL": "INFO",
    }
    say("PTCE portal scale check: two gunicorn instances behind nginx, on loopback")
    say(f"  balancer https://127.0.0.1:{balancer}/ -> instances 127.0.0.1:{instance_ports[0]} "
        f"and 127.0.0.1:{instance_ports[1]} ({WORKERS_PER_INSTANCE} workers each)")  # fmt: skip
    say(f"  database {urlsplit(db_url).path.lstrip('/')} (rebuilt), cache {redis_url} "
        f"(key prefix {prefix}), SMTP stand-in 127.0.0.1:{smtp.port}")  # fmt: skip
    report = Report()
    try:
        say("set-up: database, demo data, static files")
        recreate_database(db_url)
        t0 = time.monotonic()
        manage("migrate", "--noinput", env=base_env)
        manage("seed_ptce", "--demo", env=base_env)
        manage("collectstatic", "--noinput", env=base_env)
        say(f"  migrate, seed_ptce --demo, collectstatic: {time.monotonic() - t0:.0f} s")
        names, logs, env_of = {}, {}, {}
        for index, port in enumerate(instance_ports, start=1):
            name = f"instance {index}"
            env = {**base_env}
            env_of[name] = env
            logs[name] = VAR / f"gunicorn-{index}.log"
            process = start(
                f"gunicorn-{index}",
                [PY, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py",
                 "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS_PER_INSTANCE),
                 "portal.wsgi:application"],
                env,
            )  # fmt: skip
            wait_for_port(port, process, name)
            names[f"127.0.0.1:{port}"] = f"{name} (:{port})"
        cert, key = write_certificate()
        config = write_balancer_config(balancer, instance_ports, cert, key)
        nginx = start("nginx", [nginx_binary(), "-p", str(VAR), "-c", str(config), "-g",
                                "daemon off;"], base_env)  # fmt: skip
        wait_for_port(balancer, nginx, "nginx")
        base = f"https://127.0.0.1:{balancer}"

        def client_factory():
            return Client(base, names)

        warm = client_factory()
        for _ in range(4):
            response = warm.get("/")
            report.saw(f"GET / on {warm.instance(response)} -> {response.status_code}")

        coordinator = check_session(client_factory(), report)
        used_counter = check_totp(client_factory, report)
        check_failed_login_limit(client_factory(), report)
        check_pdf(coordinator, report, base_env, logs)
        check_mail(report, env_of, smtp)
        check_maintenance(client_factory, report, used_counter)
    finally:
        say()
        stop_everything()
        smtp.close()
        cleared = clear_cache_keys(redis_url, prefix)
        say(f"deleted {cleared} cache keys of this run ({prefix}:*) from {redis_url}")
    passed = sum(1 for _, ok in report.results if ok)
    failed = len(report.results) - passed
    say()
    for title, ok in report.results:
        say(f"  {'PASS' if ok else 'FAIL'}  {title}")
    say(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed == 6 else 1


def clear_cache_keys(url: str, prefix: str) -> int:
    try:
        client = redis_client(url)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            client.delete(*keys)
        return len(keys)
    except Exception as exc:  # the report matters more than the clean-up
        say(f"could not clear the cache keys: {exc}")
        return 0


SWITCH = "/admin/ptce_portal/maintenanceswitch/1/change/"


def staff_client(client_factory, report: Report, *, not_counter: int | None = None):
    """A staff session through the balancer: password, then a TOTP code of a time step that
    was not used before (a used code stays used)."""
    client = client_factory()
    log_in(client, STAFF_EMAIL, STAFF_PASSWORD, report)
    while (not_counter is not None and int(time.time() // 30) <= not_counter) or (
        time.time() % 30 > 20
    ):
        time.sleep(0.5)
    counter = int(time.time() // 30)
    code = totp_now(STAFF_TOTP_SECRET)
    _, response = client.post("/compte/2fa/authenticate/", {"code": code})
    report.saw(
        f"staff second factor {code} on {client.instance(response)} -> {response.status_code} "
        f"{response.headers.get('Location', '')}"
    )
    return client, counter


def wait_for_both(client: Client, path: str, status: int, report: Report, limit: float = 30):
    """GET `path` until both instances have answered `status`; seconds it took."""
    started_at, answered = time.monotonic(), {}
    while time.monotonic() - started_at < limit:
        response = client.get(path)
        name = client.instance(response)
        if response.status_code == status and name not in answered:
            answered[name] = time.monotonic() - started_at
            extra = f", Retry-After {response.headers.get('Retry-After')}" if status == 503 else ""
            report.saw(
                f"GET {path} on {name} -> {response.status_code}{extra} after "
                f"{answered[name]:.1f} s"
            )
        if len(answered) == 2:
            return answered
        time.sleep(0.25)
    report.saw(f"only {sorted(answered)} answered {status} within {limit:.0f} s")
    return answered


def check_maintenance(client_factory, report: Report, used_counter: int | None) -> None:
    report.step(6, "the maintenance switch flipped by staff puts both instances in 503, and back")
    staff, _ = staff_client(client_factory, report, not_counter=used_counter)
    visitor = client_factory()
    _, on = staff.post(SWITCH, {"enabled": "on", "_save": "Enregistrer"})
    report.saw(f"staff POST {SWITCH} enabled=on on {staff.instance(on)} -> {on.status_code}")
    closed = wait_for_both(visitor, "/", 503, report)
    maintenance_page = visitor.get("/poles/")
    french = "maintenance" in maintenance_page.text.lower()
    report.saw(
        f"GET /poles/ on {visitor.instance(maintenance_page)} -> {maintenance_page.status_code}"
        f"{' (French maintenance page)' if french else ''}"
    )
    admin = staff.get("/admin/")
    report.saw(f"staff GET /admin/ on {staff.instance(admin)} -> {admin.status_code} (stays open)")
    _, off = staff.post(SWITCH, {"_save": "Enregistrer"})
    report.saw(f"staff POST {SWITCH} enabled=off on {staff.instance(off)} -> {off.status_code}")
    opened = wait_for_both(visitor, "/", 200, report)
    ok = (
        on.status_code == 302
        and off.status_code == 302
        and len(closed) == 2
        and len(opened) == 2
        and french
        and admin.status_code == 200
    )
    report.verdict(
        "maintenance",
        ok,
        f"both instances in 503 within {max(closed.values(), default=0):.1f} s, "
        f"back to 200 within {max(opened.values(), default=0):.1f} s",
    )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        stop_everything()
        sys.exit(130)
