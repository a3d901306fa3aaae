"""The deployment kit (deploy/, .env.example, the lock files, LICENSE) stays true to the code."""

import ast
import gzip
import http.server
import importlib.util
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.network import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def required_tool(name: str) -> str:
    """The path of a system tool the kit relies on: skipped locally without it, failed in CI
    (.ci/run installs it)."""
    path = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()), None
    )
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI (.ci/run installs it)")
    pytest.skip(f"{name} is not installed")


# --- .env.example ---------------------------------------------------------------------------


def settings_files() -> list[Path]:
    """The settings module's source (every module of it, if it is a package)."""
    spec = importlib.util.find_spec(os.environ["DJANGO_SETTINGS_MODULE"])
    origin = Path(spec.origin)
    if spec.submodule_search_locations:
        return sorted(origin.parent.rglob("*.py"))
    # The tests' settings module imports the portal's (portal/settings_test.py): both.
    return sorted(origin.parent.glob("settings*.py"))


def names_read_from_environment(source: str) -> set[str]:
    """Names read by os.environ.get/[...], os.getenv, or a helper named env_* whose first
    argument is the name (env_bool("DEBUG", …))."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            target = node.slice
        elif isinstance(node, ast.Call) and node.args:
            function = ast.unparse(node.func)
            if function not in ("os.environ.get", "os.getenv", "os.environ.setdefault") and not (
                function.split(".")[-1].startswith("env_")
            ):
                continue
            target = node.args[0]
        else:
            continue
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            names.add(target.value)
    return names - {"DJANGO_SETTINGS_MODULE"}


def env_example_names() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_env_example_names_every_variable_the_settings_read():
    read = set()
    for path in settings_files():
        read |= names_read_from_environment(path.read_text())
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL"} <= read  # the parser finds them
    missing = read - env_example_names()
    assert not missing, f".env.example does not name {sorted(missing)}"


def test_every_variable_of_env_example_is_read_somewhere():
    sources = [
        p.read_text(errors="replace")
        for p in ROOT.rglob("*.py")
        if not {".venv", "node_modules", "var", "tests"} & set(p.relative_to(ROOT).parts)
    ]
    unread = {name for name in env_example_names() if not any(name in s for s in sources)}
    assert not unread, f".env.example names variables nothing reads: {sorted(unread)}"


def test_env_example_is_read_alike_by_the_shell():
    """The recipe sources the file in the shell (systemd reads it too): it must parse there,
    with the quoted sender intact."""
    result = subprocess.run(
        ["bash", "-c", 'set -a; . ./.env.example; set +a; printf %s "$DEFAULT_FROM_EMAIL"'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"]},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == "Portail PTCE <ne-pas-repondre@portail-ptce.example>"


# --- Lock files, licence, build -------------------------------------------------------------


def locked_pins(path: Path) -> dict[str, str]:
    """{name: version} of a `name==version \\ --hash=…` lock, each entry checked to carry
    at least one sha256 hash."""
    pins = {}
    entries = re.split(r"\n(?=[A-Za-z0-9])", path.read_text())
    for entry in entries:
        match = re.match(r"([A-Za-z0-9._-]+)==([^\s;\\]+)", entry)
        if not match:
            continue
        assert "--hash=sha256:" in entry, f"{path.name}: {match[1]} has no hash"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


@pytest.mark.parametrize(
    ("lock", "groups"),
    [("requirements.lock", ["dependencies"]), ("requirements-dev.lock", ["dependencies", "dev"])],
)
def test_lock_files_pin_every_dependency_of_pyproject_with_hashes(lock, groups):
    project = pyproject()["project"]
    requirements = []
    for group in groups:
        requirements += (
            project["dependencies"]
            if group == "dependencies"
            else project["optional-dependencies"][group]
        )
    pins = locked_pins(ROOT / lock)
    stale = []
    for line in requirements:
        requirement = Requirement(line)
        version = pins.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            stale.append(f"{requirement} (locked: {version})")
    assert not stale, f"{lock} is stale, run `make lock`: {stale}"


def test_the_dev_lock_holds_the_production_versions():
    production = locked_pins(ROOT / "requirements.lock")
    development = locked_pins(ROOT / "requirements-dev.lock")
    differ = {n: (v, development.get(n)) for n, v in production.items() if development.get(n) != v}
    assert not differ, f"requirements-dev.lock differs from requirements.lock: {differ}"


def test_licence_is_the_agpl_that_pyproject_declares():
    project = pyproject()["project"]
    assert project["license"] == "AGPL-3.0-or-later"
    assert project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert text.lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE")
    assert "Version 3, 19 November 2007" in text
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert text.rstrip().endswith("<http://www.gnu.org/licenses/>.")


def test_setuptools_bound_is_one_that_reads_the_licence_expression():
    """setuptools < 77 refuses `license = "AGPL-3.0-or-later"` (PEP 639): the bound says so.
    (test_production_recipe builds the project with that lowest version.)"""
    assert pyproject()["build-system"]["requires"] == ["setuptools>=77"]


# --- gunicorn and systemd -------------------------------------------------------------------


def test_gunicorn_configuration_loads():
    config = {}
    exec((DEPLOY / "gunicorn.conf.py").read_text(), config)
    assert config["bind"] == "127.0.0.1:8000"
    assert config["workers"] >= 3
    assert config["timeout"] == 30 and config["graceful_timeout"] == 30
    assert config["accesslog"] == "-" and "%(r)s" in config["access_log_format"]


def test_systemd_units_are_valid(tmp_path):
    """systemd-analyze verify on each unit, with the paths of this checkout: no warning
    (an unknown key or section only warns, so the output must be empty)."""
    analyze = required_tool("systemd-analyze")
    env_file = tmp_path / "portal.env"
    env_file.write_text("DEBUG=0\n")
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        text = (
            unit.read_text()
            .replace("/srv/ptce/app", str(ROOT))
            .replace("/etc/ptce/portal.env", str(env_file))
        )
        if unit.suffix == ".service":
            venv = Path(sys.executable).parent.parent
            text = text.replace(f"{ROOT}/.venv", str(venv))
        (tmp_path / unit.name).write_text(text)
    units = sorted(str(p) for p in tmp_path.iterdir() if p.suffix in (".service", ".timer"))
    assert len(units) == 7
    result = subprocess.run(
        [analyze, "verify", "--man=no", *units], capture_output=True, text=True, timeout=60
    )
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and output == "", output


def test_every_service_reads_the_environment_file_and_every_timer_has_its_service():
    units = {p.name: p.read_text() for p in (DEPLOY / "systemd").iterdir()}
    for name, text in units.items():
        if name.endswith(".service"):
            assert "EnvironmentFile=/etc/ptce/portal.env" in text, name
            assert "User=ptce" in text, name
        if name.endswith(".timer"):
            assert name.replace(".timer", ".service") in units, name
    assert "portal.wsgi:application" in units["ptce-portal.service"]
    assert "send_queued_mail" in units["ptce-mail.service"]
    assert "clearsessions" in units["ptce-clearsessions.service"]
    assert "scripts/backup.py backup" in units["ptce-backup.service"]


# --- The nginx site -------------------------------------------------------------------------


class Upstream(http.server.ThreadingHTTPServer):
    """Stands in for gunicorn: answers the portal's kinds of content, keeps request headers."""

    BODIES = {
        "/page/": ("text/html; charset=utf-8", "<!doctype html><p>" + "Pôles " * 400),
        "/api/poles.json": ("application/json", json.dumps([{"nom": "Pôle"}] * 200)),
        "/api/poles.geojson": (
            "application/geo+json; charset=utf-8",
            json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature"}] * 200}),
        ),
        "/api/poles.csv": ("text/csv; charset=utf-8", "nom;region\n" + "Pôle;Occitanie\n" * 300),
    }

    def __init__(self):
        self.seen: list[dict] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.seen.append({"path": self.path, **dict(self.headers)})
                content_type, body = outer.BODIES.get(self.path, ("text/plain", "404"))
                data = body.encode()
                self.send_response(200 if self.path in outer.BODIES else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.fixture
def nginx_site(tmp_path):
    """The kit's nginx site, with this machine's ports, a self-signed certificate and
    temporary directories, run in the foreground and stopped by its pid."""
    nginx = required_tool("nginx")
    openssl = required_tool("openssl")
    upstream = Upstream()
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=portail-ptce.example",
         "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem"],
        check=True, capture_output=True,
    )  # fmt: skip
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    css = "body { color: #222; }\n" * 200
    (static / "css" / "portal.0123456789ab.css").write_text(css)
    (static / "css" / "portal.0123456789ab.css.gz").write_bytes(gzip.compress(css.encode()))
    (static / "css" / "portal.css").write_text(css)
    http_port, https_port = free_port(), free_port()
    site = (
        (DEPLOY / "nginx" / "ptce-portal.conf")
        .read_text()
        .replace("127.0.0.1:8000", f"127.0.0.1:{upstream.server_address[1]}")
        .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
        .replace("/etc/letsencrypt/live/portail-ptce.example/fullchain.pem", f"{tmp_path}/cert.pem")
        .replace("/etc/letsencrypt/live/portail-ptce.example/privkey.pem", f"{tmp_path}/key.pem")
        .replace("/srv/ptce/var/static/", f"{static}/")
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )  # fmt: skip
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"""
        worker_processes 1;
        pid {tmp_path}/nginx.pid;
        error_log {tmp_path}/error.log;
        {"user root;" if os.geteuid() == 0 else ""}
        events {{ worker_connections 64; }}
        http {{
            include /etc/nginx/mime.types;
            client_body_temp_path {tmp_path}/body;
            proxy_temp_path {tmp_path}/proxy;
            fastcgi_temp_path {tmp_path}/fastcgi;
            uwsgi_temp_path {tmp_path}/uwsgi;
            scgi_temp_path {tmp_path}/scgi;
            include {tmp_path}/site.conf;
        }}
        """
    )
    check = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)
    try:
        yield {"https": https_port, "http": http_port, "upstream": upstream}
    finally:
        process.terminate()
        process.wait(timeout=10)
        upstream.shutdown()


def fetch(port: int, path: str, *, scheme="https", headers=None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(
        f"{scheme}://127.0.0.1:{port}{path}",
        headers={"Host": "portail-ptce.example", **(headers or {})},
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect())
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_nginx_site_compresses_html_json_geojson_and_csv(nginx_site):
    for path in Upstream.BODIES:
        status, headers, body = fetch(
            nginx_site["https"], path, headers={"Accept-Encoding": "gzip"}
        )
        assert status == 200, path
        assert headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(body).decode() == Upstream.BODIES[path][1]


def test_nginx_site_sends_the_proxy_headers_django_trusts(nginx_site):
    fetch(nginx_site["https"], "/page/", headers={"X-Forwarded-For": "203.0.113.9"})
    seen = nginx_site["upstream"].seen[-1]
    assert seen["Host"] == "portail-ptce.example"
    assert seen["X-Forwarded-Proto"] == "https"
    # The client's own header is kept and nginx appends the address it saw: with
    # TRUSTED_PROXY_COUNT=1 the portal takes the last one, which a client cannot forge.
    assert seen["X-Forwarded-For"] == "203.0.113.9, 127.0.0.1"


def test_nginx_site_redirects_http_to_https(nginx_site):
    status, headers, _ = fetch(nginx_site["http"], "/poles/?q=a", scheme="http")
    assert status == 301
    assert headers["Location"] == "https://portail-ptce.example/poles/?q=a"


def test_nginx_site_serves_static_files_with_long_cache_for_hashed_names(nginx_site):
    hashed = "/static/css/portal.0123456789ab.css"
    status, headers, body = fetch(nginx_site["https"], hashed, headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"  # the .gz of collectstatic, as it is
    assert headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    status, headers, _ = fetch(nginx_site["https"], "/static/css/portal.css")
    assert status == 200
    assert headers.get_all("Cache-Control") == ["max-age=3600"]
    assert nginx_site["upstream"].seen == []  # nothing went to the application


# --- Personal-link secrets in the logs ------------------------------------------------------

SECRET = "Zq8fW3nR5tY7uI9oP1aS2dF4gH6jK8lZ0xC3vB5nM7q"
SECRET_PATHS = (
    f"/referentiel/repondre/{SECRET}/partie-2/",
    f"/journees/journee-nationale-2026/inscription/{SECRET}/",
    f"/compte/confirm-email/{SECRET}/",
    f"/compte/password/reset/key/1a-{SECRET}/",
)


def test_nginx_access_log_masks_personal_link_secrets(nginx_site, tmp_path):
    for path in SECRET_PATHS:
        fetch(nginx_site["https"], path, headers={"Referer": f"https://x.example{path}"})
    fetch(nginx_site["https"], "/poles/?q=diois")
    # nginx writes a request's log line after sending its response: wait (bounded) for the last.
    access_log = tmp_path / "ptce-portal.access.log"
    deadline = time.monotonic() + 10
    while len(access_log.read_text().splitlines()) < len(SECRET_PATHS) + 1:
        if time.monotonic() > deadline:
            break
        time.sleep(0.1)
    log = access_log.read_text()
    assert len(log.splitlines()) == len(SECRET_PATHS) + 1
    assert SECRET not in log
    assert "/referentiel/repondre/***/partie-2/" in log
    assert "/compte/password/reset/key/***/" in log
    assert '"https://x.example/compte/confirm-email/***/"' in log
    assert "GET /poles/?q=diois HTTP" in log  # other requests are written as they came


def test_gunicorn_logs_mask_personal_link_secrets(tmp_path):
    """gunicorn with the kit's configuration (its logconfig_dict and filter), a stand-in
    application, a few requests: the access log has the paths, never the secrets."""
    port = free_port()
    stdout, stderr = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with stdout.open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{port}", "--workers", "1", "--chdir", str(ROOT),
             "tests.deploy.stub_wsgi:application"],
            stdout=out, stderr=err, cwd=ROOT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert process.poll() is None, stderr.read_text()
                    assert time.monotonic() < deadline, "gunicorn did not start"
                    time.sleep(0.2)
            for path in (*SECRET_PATHS, "/poles/?q=diois"):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10):
                    pass
        finally:
            process.terminate()
            process.wait(timeout=20)
    log = stdout.read_text() + stderr.read_text()
    assert SECRET not in log
    assert log.count("/referentiel/repondre/***/partie-2/") == 1
    assert "/journees/journee-nationale-2026/inscription/***/" in log
    assert "GET /poles/?q=diois HTTP/1.1" in log
