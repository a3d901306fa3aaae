"""The README's production recipe, as a sysadmin would run it on a fresh clone.

A clean checkout of the current commit (git archive), the lines of the README's recipe block
run as they are by bash (only the two paths of the server, /srv/ptce/app and
/etc/ptce/portal.env, become temporary ones), then gunicorn started as
deploy/systemd/ptce-portal.service starts it, and the pages a visitor opens, over HTTP with
the headers the nginx site sends. Minutes (a venv installed from requirements.lock, pip's
cache reused): `-m "not deploy"` leaves it out; CI runs it.
"""

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import sql

from tests.network import free_port

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
HOST = "portail-ptce.example"


def readme_recipe() -> str:
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"<!-- recipe -->\n```sh\n(.*?)```\n<!-- /recipe -->", readme, re.S)
    assert match, "README.md has no <!-- recipe --> block"
    return match[1]


@pytest.fixture
def recipe_database():
    """A database of its own, empty, as a new server's: created and dropped here."""
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:{}/ptce".format(
        os.environ.get("PTCE_PG_PORT", "54329")
    )
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'ptce'}_recipe"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        name += f"_{worker}"
    admin = urlunsplit(parts._replace(path="/postgres"))

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    drop()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield urlunsplit(parts._replace(path=f"/{name}"))
    drop()


def environment_file(path: Path, *, database_url: str, var: Path) -> None:
    """.env.example with this machine's values where the server's would go."""
    values = {
        "SECRET_KEY": "recipe-" + "k9Qzv2Lr8Wm4Tp6Yx1Hb3Nc5Gd7Fs0Je2Ua4Oi6Ek8" * 2,
        "DATABASE_URL": database_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(free_port()),  # nothing listens: the outbox keeps the mail
        "STATIC_ROOT": str(var / "static"),
        "MEDIA_ROOT": str(var / "media"),
        "BACKUP_DIR": str(var / "backups"),
    }
    lines = []
    for line in (ROOT / ".env.example").read_text().splitlines():
        name = line.split("=", 1)[0]
        lines.append(f"{name}={values.pop(name)}" if name in values else line)
    assert not values, f".env.example lacks {sorted(values)}"
    path.write_text("\n".join(lines) + "\n")


def get(port: int, path: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_readme_recipe_on_a_clean_checkout_serves_the_portal(tmp_path, recipe_database):
    app, var, env_file = tmp_path / "app", tmp_path / "var", tmp_path / "portal.env"
    app.mkdir()
    var.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", "HEAD"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(app)], input=archive.stdout, check=True)
    environment_file(env_file, database_url=recipe_database, var=var)

    recipe = (
        readme_recipe()
        .replace("/srv/ptce/app", str(app))
        .replace("/etc/ptce/portal.env", str(env_file))
    )
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PIP_CACHE_DIR", "XDG_CACHE_HOME")
        or key.startswith("PIP_")
    }
    started = time.monotonic()
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-x", "-c", recipe],
        env=clean_env, capture_output=True, text=True, timeout=1500,
    )  # fmt: skip
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-6000:]
    assert "System check identified no issues" in log, log[-3000:]
    print(f"recipe: {time.monotonic() - started:.0f} s")

    # gunicorn as the unit starts it: its ExecStart, in its WorkingDirectory, with its
    # EnvironmentFile (the bind and worker count given through GUNICORN_CMD_ARGS).
    unit = (ROOT / "deploy" / "systemd" / "ptce-portal.service").read_text()
    exec_start = re.search(r"^ExecStart=(.+)$", unit, re.M)[1].replace("/srv/ptce/app", str(app))
    port = free_port()
    command = (
        f"set -a; . {shlex.quote(str(env_file))}; set +a; "
        f"GUNICORN_CMD_ARGS='--bind 127.0.0.1:{port} --workers 2' "
        f"exec {exec_start}"
    )
    gunicorn_log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        ["bash", "-c", command], cwd=app, env=clean_env, stdout=gunicorn_log,
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)

        status, _, home = get(port, "/")
        assert status == 200, home[:2000]
        assert "Pôles Territoriaux de Coopération Économique" in home.decode()
        for path in ("/poles/", "/carte/"):
            status, _, body = get(port, path)
            assert status == 200, (path, body[:2000])
        stylesheet = re.search(rb'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', home)
        assert stylesheet, "the page does not link the hashed stylesheet (manifest storage)"
        status, headers, css = get(port, stylesheet[1].decode())
        assert status == 200 and b"{" in css
        assert "immutable" in headers.get("Cache-Control", "")
        # Plain http without the proxy's header is sent to https (SECURE_SSL_REDIRECT).
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": HOST})

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        with pytest.raises(urllib.error.HTTPError) as redirect:
            urllib.request.build_opener(NoRedirect()).open(request, timeout=30)
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"] == f"https://{HOST}/"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=40)
        gunicorn_log.close()


def test_the_project_builds_with_the_lowest_setuptools_it_allows(tmp_path):
    """`pip install .` (no dev extras) from a clean checkout: the build backend at the bound
    pyproject.toml declares, setuptools 77 (the first that reads the SPDX licence)."""
    app = tmp_path / "app"
    app.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", "HEAD"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(app)], input=archive.stdout, check=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--quiet"]
    subprocess.run([*pip, "install", "setuptools==77.0.3"], check=True, timeout=300)
    built = subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(tmp_path / "dist"),
         str(app)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("ptce_portal-*.whl")
    import zipfile

    with zipfile.ZipFile(wheel) as archive_file:
        names = archive_file.namelist()
        metadata = archive_file.read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "License-Expression: AGPL-3.0-or-later" in metadata
    assert any(n.endswith("licenses/LICENSE") for n in names)
