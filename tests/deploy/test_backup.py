"""`make backup` / `make restore` (scripts/backup.py): a real pg_dump of the test database,
restored with pg_restore into a new, empty database."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "backup.py"


def database_url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{name}"


def run_script(*args: str, url: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env={**os.environ, "DATABASE_URL": url, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


@pytest.fixture
def restored_database():
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = database_url("postgres")

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    drop()
    yield database_url(name)
    drop()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_the_same_rows_in_every_table(
    tmp_path, restored_database
):
    with open(os.devnull, "w") as quiet:
        call_command("seed_ptce", stdout=quiet)  # real data: poles, charter, national days…
    source = database_url(connection.settings_dict["NAME"])
    before = row_counts(source)
    assert sum(before.values()) > 1000
    assert sum(1 for count in before.values() if count) > 20

    made = run_script(
        "backup", "--dir", str(tmp_path), url=source, MEDIA_ROOT=str(tmp_path / "none")
    )
    assert made.returncode == 0, made.stderr
    (dump,) = tmp_path.glob("ptce-*.dump")
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    restored = run_script("restore", str(dump), "--create", url=restored_database)
    assert restored.returncode == 0, restored.stderr
    after = row_counts(restored_database)
    assert after == before
    # The restored database works as the portal's: its sequences continue after the rows.
    with psycopg.connect(restored_database, autocommit=True) as conn:
        max_id = conn.execute("SELECT max(id) FROM poles_pole").fetchone()[0]
        next_id = conn.execute(
            "SELECT nextval(pg_get_serial_sequence('poles_pole', 'id'))"
        ).fetchone()[0]
        assert next_id > max_id


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    source = database_url(connection.settings_dict["NAME"])
    made = run_script(
        "backup", "--dir", str(tmp_path), url=source, MEDIA_ROOT=str(tmp_path / "none")
    )
    assert made.returncode == 0, made.stderr
    (dump,) = tmp_path.glob("ptce-*.dump")
    refused = run_script("restore", str(dump), url=source)
    assert refused.returncode != 0
    assert "is not empty" in refused.stderr


@pytest.mark.django_db(transaction=True)
def test_backups_rotate_and_take_the_uploaded_files_along(tmp_path):
    source = database_url(connection.settings_dict["NAME"])
    media = tmp_path / "media"
    (media / "logos").mkdir(parents=True)
    (media / "logos" / "pole.png").write_bytes(b"\x89PNG fictitious")
    backups = tmp_path / "backups"
    # Four older backups, as the timer would have left them.
    for day in ("01", "02", "03", "04"):
        (backups).mkdir(exist_ok=True)
        name = f"ptce-{connection.settings_dict['NAME']}-202611{day}T023000Z"
        (backups / f"{name}.dump").write_bytes(b"old")
        (backups / f"{name}-media.tar.gz").write_bytes(b"old")
    (backups / "notes.txt").write_text("not a backup")

    made = run_script(
        "backup", url=source, BACKUP_DIR=str(backups), BACKUP_KEEP="3", MEDIA_ROOT=str(media)
    )
    assert made.returncode == 0, made.stderr
    dumps = sorted(p.name for p in backups.glob("*.dump"))
    archives = sorted(p.name for p in backups.glob("*-media.tar.gz"))
    assert len(dumps) == 3 and len(archives) == 3
    assert dumps[:2] == [
        f"ptce-{connection.settings_dict['NAME']}-202611{d}T023000Z.dump" for d in ("03", "04")
    ]
    assert (backups / "notes.txt").exists()
    newest = backups / archives[-1]
    listing = subprocess.run(["tar", "-tzf", str(newest)], capture_output=True, text=True).stdout
    assert "./logos/pole.png" in listing.splitlines()


def test_a_failed_dump_keeps_the_older_backups(tmp_path):
    (tmp_path / "ptce-ptce_no_such_database_for_backup-20261101T023000Z.dump").write_bytes(b"old")
    failed = run_script(
        "backup", "--dir", str(tmp_path), "--keep", "1",
        url=database_url("ptce_no_such_database_for_backup"),
    )  # fmt: skip
    assert failed.returncode != 0
    assert "pg_dump failed" in failed.stderr
    assert [p.name for p in tmp_path.iterdir()] == [
        "ptce-ptce_no_such_database_for_backup-20261101T023000Z.dump"
    ]
