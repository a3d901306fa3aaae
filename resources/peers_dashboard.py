"""Peer help in "Mon espace" (the resource centre's panel): for a pole's coordinators, the
exchange requests waiting for their answer, and where to say on which objectives their pole
can help."""

from .peers_selectors import exchanges_waiting_count


def waiting(user) -> int:
    """Exchange requests waiting for an answer of a pole `user` coordinates."""
    return exchanges_waiting_count(user)
