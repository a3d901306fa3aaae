"""The helper scripts that `make run`/`make test` rely on."""

import gettext
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_compile_translations_builds_mo_files_only_when_stale(tmp_path):
    compile_translations = load_script("compile_translations")
    po_path = tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Aller au contenu", msgstr="Skip to content"))
    po.save(str(po_path))

    assert compile_translations.compile_all(tmp_path) == [po_path.with_suffix(".mo")]
    with open(po_path.with_suffix(".mo"), "rb") as fh:
        assert gettext.GNUTranslations(fh).gettext("Aller au contenu") == "Skip to content"
    assert compile_translations.compile_all(tmp_path) == []  # up to date: nothing to do

    os.utime(po_path, (po_path.stat().st_mtime + 10,) * 2)
    assert compile_translations.compile_all(tmp_path) == [po_path.with_suffix(".mo")]


def test_committed_catalogues_are_valid():
    for po_path in ROOT.glob("locale/*/LC_MESSAGES/*.po"):
        po = polib.pofile(str(po_path))
        assert po.percent_translated() > 0, po_path
        for entry in po.translated_entries():
            if "python-format" not in entry.flags:
                continue
            if entry.msgid_plural:  # form 0 matches the singular msgid, the others the plural one
                for index, form in entry.msgstr_plural.items():
                    source = entry.msgid if index == 0 else entry.msgid_plural
                    assert sorted(_placeholders(source)) == sorted(_placeholders(form))
            else:
                assert sorted(_placeholders(entry.msgid)) == sorted(_placeholders(entry.msgstr))


def _placeholders(text: str) -> list[str]:
    import re

    return re.findall(r"%\(\w+\)s", text)


def test_localpg_never_takes_over_a_port_another_server_answers(tmp_path):
    # A copy of the script works on tmp_path/var; the test database's port surely answers.
    from django.conf import settings

    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "localpg.py").write_text((ROOT / "scripts" / "localpg.py").read_text())
    port = str(settings.DATABASES["default"]["PORT"] or 5432)
    result = subprocess.run(
        [sys.executable, str(tmp_path / "scripts" / "localpg.py"), "ensure"],
        env={**os.environ, "PTCE_PG_PORT": port},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"localpg: le port {port} est déjà pris par un autre serveur" in result.stderr
    assert not (tmp_path / "var" / "postgres").exists(), "nothing initialised"
