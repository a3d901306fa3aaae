"""Signing an account out everywhere (database sessions, and their copies in the shared cache
when SESSION_ENGINE reads them through it: `cached_db` with Redis)."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone
from django.utils.module_loading import import_string


def end_sessions(user) -> int:
    """Delete every unexpired session of `user`, in the database and in the shared cache;
    returns their number. Sessions store the user id inside their encoded data, so each live
    session is decoded once."""
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    # cached_db serves a session from the cache while its copy lives there: without this, the
    # account would stay signed in on every process until the copy expired.
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    prefix = getattr(store, "cache_key_prefix", None)
    if prefix and ended:
        caches[settings.SESSION_CACHE_ALIAS].delete_many([prefix + key for key in ended])
    return len(ended)


def session_user_id(session_key: str) -> str | None:
    """The id of the account a session is signed in to, from the session store (its copy in
    the shared cache with `cached_db`), without loading the account; None for an expired or
    unknown session, or one nobody is signed in to."""
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")(session_key)
    user_id = store.get(SESSION_KEY)
    return None if user_id is None else str(user_id)
