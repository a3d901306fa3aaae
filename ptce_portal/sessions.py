"""Signing an account out everywhere (database sessions, and their copies in the shared cache
when SESSION_ENGINE reads them through it: `cached_db` with Redis)."""

from django.conf import settings
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
