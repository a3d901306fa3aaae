"""Signing an account out everywhere (database sessions)."""

from django.contrib.sessions.models import Session
from django.utils import timezone


def end_sessions(user) -> int:
    """Delete every unexpired session of `user`; returns their number. Sessions store the
    user id inside their encoded data, so each live session is decoded once."""
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
