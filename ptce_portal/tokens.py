"""Unguessable tokens for personal links (a registration, an invitation to answer)."""

import secrets


def new_token() -> str:
    """256 random bits, URL-safe (43 characters): fits a CharField(max_length=64)."""
    return secrets.token_urlsafe(32)
