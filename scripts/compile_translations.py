"""Compile the committed .po catalogues into .mo files with polib.

Django's `compilemessages` needs GNU gettext's msgfmt, which a machine with only
Python and pip lacks; polib does the same job in pure Python. A catalogue is only
recompiled when its .po is newer than its .mo, and the .mo is replaced atomically
(parallel test workers may be reading it).

Usage: python scripts/compile_translations.py   (`make run`/`make test` and the test
suite's conftest call it).
"""

import os
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def compile_all(root: Path = ROOT) -> list[Path]:
    compiled = []
    for po_path in sorted(root.glob("locale/*/LC_MESSAGES/*.po")) + sorted(
        root.glob("*/locale/*/LC_MESSAGES/*.po")
    ):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        tmp = mo_path.with_name(f".{mo_path.name}.{os.getpid()}.tmp")
        polib.pofile(str(po_path)).save_as_mofile(str(tmp))
        os.replace(tmp, mo_path)
        compiled.append(mo_path)
    return compiled


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path.relative_to(ROOT)}")
