"""Content versions: one counter per kind of public content (an app's label), kept in
the shared cache, that every write to that content moves on. Whatever is built from the
content (open data files, the map's points, anonymous pages) is cached under the versions it
was built from, so a change makes the next request build it again: nothing is ever stale and
nothing has to be deleted.

An app declares which of its models feed its public content with `watch()` (in its
`AppConfig.ready`): saves and deletions (services, the admin, the shell) and changes of
many-to-many links then bump the version. `QuerySet.update()`, `bulk_create()` and raw SQL
send no signal: code that writes watched models that way calls `bump()` itself.

A bump happens at once and again when the transaction commits: a request that read the new
version before the commit, with the old rows, cannot leave a stale copy under it.
"""

import logging
import secrets
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .unavailable import database_is_down

logger = logging.getLogger(__name__)

KEY_PREFIX = "content-version:"
# A version no one bumps for a month expires: the next read starts a new one, which only
# means one more build of what depended on it.
TIMEOUT = 60 * 60 * 24 * 30


def _key(name: str) -> str:
    return KEY_PREFIX + name


def _new_value() -> int:
    """Microseconds since the epoch, then three random digits: it says when the content
    changed, and two servers bumping in the same microsecond still make two versions."""
    return (time.time_ns() // 1000) * 1000 + secrets.randbelow(1000)


def _set(names: Iterable[str]) -> None:
    value = _new_value()
    try:
        cache.set_many({_key(name): value for name in names}, TIMEOUT)
    except Exception:  # a cache that is down cannot hold stale copies either
        logger.exception("Content versions: cache unavailable (bump)")


def bump(*names: str) -> None:
    """Mark these kinds of content as changed, now and when the current transaction commits."""
    if not names:
        return
    _set(names)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _set(names), robust=True)


def current(*names: str) -> dict[str, int]:
    """The current version of each name (a new one for a name never seen or expired)."""
    return current_and(names, ())[0]


def current_and(names: Iterable[str], other_keys: Iterable[str]) -> tuple[dict[str, int], dict]:
    """`current(*names)`, and the values found for `other_keys` of the same cache, read in
    the same round trip (the page cache reads the maintenance switch with the versions)."""
    keys = {name: _key(name) for name in names}
    other_keys = list(other_keys)
    try:
        found = cache.get_many(list(keys.values()) + other_keys)
    except Exception as exc:
        # The cache kept in a database that does not answer: the page cannot be built either,
        # and each further try would wait its own bound (seconds each). The 503 comes at once.
        if database_is_down(exc):
            raise
        logger.exception("Content versions: cache unavailable (read)")
        found = {}
    others = {key: found[key] for key in other_keys if key in found}
    versions = {}
    missing = {}
    for name, key in keys.items():
        if key in found:
            versions[name] = found[key]
        else:
            missing[name] = key
    if missing:
        value = _new_value()
        for name, key in missing.items():
            try:  # add: two processes starting at once agree on the first value
                added = cache.add(key, value, TIMEOUT)
                versions[name] = value if added else cache.get(key, value)
            except Exception:
                versions[name] = value
    return versions, others


def last_modified(versions: dict[str, int]) -> datetime:
    """When the newest of these versions was made (for `Last-Modified`), to the second."""
    newest = max(versions.values(), default=0)
    return datetime.fromtimestamp(newest // 1_000_000_000, tz=UTC)


def token(versions: dict[str, int]) -> str:
    """The versions as one short string, for cache keys and ETags."""
    return ".".join(f"{versions[name]:x}" for name in sorted(versions))


# --- Signals ---------------------------------------------------------------------------------


_WATCHED: set[str] = set()
RELEASE = "release"  # bumped by every migrate: what templates build is rebuilt after a deployment
ALL = "*"  # every watched name (for what is built from all the content: the home page)


def watched() -> tuple[str, ...]:
    return tuple(sorted(_WATCHED))


def bump_all() -> None:
    """Bump every watched name (after a bulk load such as `seed_ptce`)."""
    bump(*sorted(_WATCHED))


def watch(name: str, *models, concerns: Callable[[Any], bool] | None = None) -> None:
    """Bump `name` whenever an instance of one of `models` is saved or deleted, or one of
    their many-to-many links changes; with `concerns`, only when it says the instance
    matters to what `name` versions (a change seen from the other side of a link always
    does)."""
    _WATCHED.add(name)

    def matters(instance) -> bool:
        return concerns is None or not isinstance(instance, models) or concerns(instance)

    for model in models:
        uid = f"content-version:{name}:{model._meta.label}"

        def receiver(sender, instance, _name=name, **kwargs):
            if matters(instance):
                bump(_name)

        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _m2m_receiver(name, matters),
                sender=field.remote_field.through,
                weak=False,
                dispatch_uid=f"{uid}:{field.name}",
            )


def _m2m_receiver(name: str, matters: Callable[[Any], bool]):
    def receiver(sender, instance, action, **kwargs):
        if action.startswith("post_") and matters(instance):
            bump(name)

    return receiver


# --- Every write -----------------------------------------------------------------------------

# Bumped by every statement that writes to PostgreSQL through Django, in any process: what is
# built from anything in the database (a signed-in visitor's pages, ptce_portal.page_cache)
# is cached under it. Unlike the names above it needs no declaration, so nothing can be
# forgotten: `QuerySet.update()`, `bulk_create()`, raw SQL through Django's connection, the
# admin, management commands. Writes made outside Django (psql) are not seen.
WRITES = "database-writes"
# Statements that write nothing (a SELECT … FOR UPDATE only locks).
_READING = ("SELECT", "SHOW", "SET ", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")
_cache_tables: list[tuple[str, ...]] = []


def watch_every_write() -> None:
    """From now on, every statement that writes through one of this process's database
    connections bumps WRITES (ptce_portal's `AppConfig.ready`)."""
    connection_created.connect(_add_write_watcher, dispatch_uid="content-version:writes")


def _add_write_watcher(sender, connection, **kwargs) -> None:
    # First in the list: Django's `execute_wrapper()` blocks (ptce_portal.unavailable's
    # bound) pop the last one when they end.
    if _note_write not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _note_write)


@receiver(setting_changed)
def _forget_cache_tables(**kwargs) -> None:
    _cache_tables.clear()


def _quoted_cache_tables() -> tuple[str, ...]:
    """The tables of the database caches: writing a cached copy there changes no data."""
    if not _cache_tables:
        _cache_tables.append(
            tuple(
                f'"{config["LOCATION"]}"'
                for config in settings.CACHES.values()
                if config["BACKEND"].endswith("DatabaseCache")
            )
        )
    return _cache_tables[0]


def _writes(sql: str) -> bool:
    head = sql.lstrip()[:120]
    if head[:9].upper().startswith(_READING):
        return False
    return not any(table in head for table in _quoted_cache_tables())


def kept_in_the_database() -> bool:
    """Whether the versions are kept in PostgreSQL's cache table (no Redis): reading or
    writing one is then a statement of its own."""
    return settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")


def _note_write(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    # With the versions in PostgreSQL's cache table, bumping WRITES would be one more
    # statement in the writer's transaction (failing it, before `migrate` made the table):
    # not kept then, and the signed-in pages are not kept either (ptce_portal.page_cache).
    if not kept_in_the_database() and _writes(sql):
        connection = context["connection"]
        if not connection.in_atomic_block:  # committed already
            bump_writes()
        elif not any(func is bump_writes for _ids, func, _robust in connection.run_on_commit):
            # Once per transaction: at once, and again when it commits (`bump`).
            bump_writes()
            connection.on_commit(bump_writes, robust=True)
    return result


def bump_writes() -> None:
    """Mark the database as written to (what a process that writes outside Django's
    connection, or a test counting on-commit callbacks, may need)."""
    _set((WRITES,))
