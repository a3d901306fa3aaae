"""Project-local PostgreSQL for development and tests when DATABASE_URL is unset.

Usage: python scripts/localpg.py ensure   -> starts it if needed, prints its DATABASE_URL
       python scripts/localpg.py stop
       python scripts/localpg.py status

The server keeps its data under var/postgres (ignored by git) and listens on
127.0.0.1:$PTCE_PG_PORT (54329 by default) and on a Unix socket in var/postgres-run.
Binaries come from the machine's PostgreSQL when present, otherwise from the
`pgserver` wheel. PostgreSQL refuses to run as root: as root, the cluster is
owned by and run as an unprivileged account (`nobody` unless PTCE_PG_USER says).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DATA = VAR / "postgres"
RUN = VAR / "postgres-run"
LOG = VAR / "postgres.log"
PORT = int(os.environ.get("PTCE_PG_PORT", "54329"))
DB_NAME = os.environ.get("PTCE_PG_DB", "ptce")


def find_bindir() -> Path:
    candidates: list[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    candidates += sorted(glob.glob("/usr/local/pgsql/bin"))
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    try:
        import pgserver  # wheel with bundled PostgreSQL binaries

        bundled = Path(pgserver.__file__).parent / "pginstall" / "bin"
        if (bundled / "initdb").exists():
            return bundled
    except ImportError:
        pass
    sys.exit(
        "Aucun binaire PostgreSQL trouvé : installez PostgreSQL, ou `pip install pgserver`, "
        "ou définissez DATABASE_URL."
    )


def run_as() -> str | None:
    """The account that owns and runs the cluster, or None to run as ourselves."""
    if os.geteuid() != 0:
        return None
    return os.environ.get("PTCE_PG_USER", "nobody")


def sh(args: list[str], user: str | None, check: bool = True, **kw) -> subprocess.CompletedProcess:
    if user:
        args = ["runuser", "-u", user, "--", *args]
    return subprocess.run(args, check=check, **kw)


def port_open() -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", PORT)) == 0


def url() -> str:
    return f"postgres://postgres@127.0.0.1:{PORT}/{DB_NAME}"


def ensure() -> None:
    bindir = find_bindir()
    user = run_as()
    VAR.mkdir(exist_ok=True)
    for d in (DATA, RUN):
        d.mkdir(exist_ok=True)
        if user:
            pw = pwd.getpwnam(user)
            os.chown(d, pw.pw_uid, pw.pw_gid)
            os.chmod(d, 0o700)
    if user:
        # The unprivileged account must be able to reach var/ through the project path.
        p = VAR
        while p != p.parent:
            mode = p.stat().st_mode
            if not mode & 0o001:
                os.chmod(p, mode | 0o001)
            p = p.parent
    if not (DATA / "PG_VERSION").exists():
        sh(
            [
                str(bindir / "initdb"),
                "-D",
                str(DATA),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            user,
            stdout=subprocess.DEVNULL,
        )
    if not port_open():
        if user:
            LOG.touch()
            pw = pwd.getpwnam(user)
            os.chown(LOG, pw.pw_uid, pw.pw_gid)
        sh(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(DATA),
                "-l",
                str(LOG),
                "-w",
                "-t",
                "60",
                "-o",
                f"-p {PORT} -k {RUN} -h 127.0.0.1 -c fsync=off",
                "start",
            ],
            user,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            if port_open():
                break
            time.sleep(0.1)
    psql = str(bindir / "psql")
    exists = subprocess.run(
        [
            psql,
            "-h",
            "127.0.0.1",
            "-p",
            str(PORT),
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'",
            "postgres",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(
            [
                psql,
                "-h",
                "127.0.0.1",
                "-p",
                str(PORT),
                "-U",
                "postgres",
                "-qc",
                f'CREATE DATABASE "{DB_NAME}"',
                "postgres",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    print(url())


def stop() -> None:
    if not (DATA / "PG_VERSION").exists():
        return
    bindir = find_bindir()
    sh([str(bindir / "pg_ctl"), "-D", str(DATA), "-m", "fast", "stop"], run_as(), check=False)


def main() -> None:
    cmd = sys.argv[1] if len(sys.argv) > 1 else "ensure"
    if cmd == "ensure":
        ensure()
    elif cmd == "stop":
        stop()
    elif cmd == "status":
        print("running" if port_open() else "stopped", url())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
