"""Who may do what with national days (on top of the foundation's roles)."""

from __future__ import annotations

from typing import Any

from ptce_portal.permissions import is_portal_staff


def can_manage_event(user: Any) -> bool:
    """Participants list, check-in, certificates, messages to registrants."""
    return is_portal_staff(user)
