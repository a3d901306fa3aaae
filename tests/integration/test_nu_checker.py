"""The Nu Html Checker (vnu.jar, the W3C's validator) finds no error on the public pages,
nor on the coordinator's.

The pages are the permission matrix's public and coordinator sets (tests/integration/
pages.py): a page added to the matrix is checked here with no change. Each is rendered by the
test client as that person gets it, written to a file, and the checker reads them all in one
run (a Java virtual machine starts once).

vnu.jar comes from the npm package vnu-jar (package.json, package-lock.json; `make test`
installs it with npm ci). The test needs Java 11 or later; without java it is skipped, except
in CI where .ci/run installs it."""

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.integration.pages import page_sets
from tests.integration.test_permission_matrix import get

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def java() -> str:
    found = shutil.which("java")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("java is required for the Nu Html Checker in CI (.ci/run installs it).")
    pytest.skip("java not installed (apt-get install default-jre-headless): no Nu Html Checker")


def nu_check(paths: list[Path]) -> list[dict]:
    """The checker's messages on these files (one run, JSON on standard output)."""
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: `make test` installs it (npm ci)."
    completed = subprocess.run(
        [
            java(),
            "-Xss8m",
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
        ]
        + [str(path) for path in paths],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)["messages"]


def test_the_public_and_coordinator_pages_have_no_nu_checker_error(world, clients, tmp_path):
    started = time.monotonic()
    files: dict[str, tuple[str, str]] = {}  # file name -> (matrix key, page URL)
    skipped: list[str] = []
    sets = page_sets(world)
    assert len(sets["public"]) > 30 and len(sets["coordinator"]) > 40
    pages = [("anonymous", key, url) for key, url, _role in sets["public"]] + [
        ("coordinator", key, url) for key, url, _role in sets["coordinator"]
    ]
    for number, (role, key, url) in enumerate(pages):
        response = get(clients[role], url)
        assert response.status_code == 200, (key, url, response.status_code)
        if not response["Content-Type"].startswith("text/html"):
            skipped.append(key)  # a file that FILES (tests/integration/pages.py) does not name
            continue
        path = tmp_path / f"{number:03}.html"
        path.write_bytes(response.content)
        files[path.name] = (f"{role} {key}", url)
    rendered = time.monotonic()
    messages = nu_check([tmp_path / name for name in sorted(os.listdir(tmp_path))])
    errors = [message for message in messages if message["type"] in ("error", "non-document-error")]
    print(
        f"{len(files)} public and coordinator pages checked by the Nu Html Checker: "
        f"{len(errors)} error(s); "
        f"rendered in {rendered - started:.0f} s, checked in {time.monotonic() - rendered:.0f} s"
        + (f"; files left out: {', '.join(skipped)}" if skipped else "")
    )
    described = []
    for message in errors:
        name = message.get("url", "").rsplit("/", 1)[-1]
        key, url = files.get(name, ("?", message.get("url", "")))
        where = f"line {message['lastLine']}" if "lastLine" in message else ""
        described.append(
            f"{key} {url} {where}: {message['message']} [{message.get('extract', '').strip()}]"
        )
    assert not errors, f"{len(errors)} Nu Html Checker error(s):\n" + "\n".join(described)
