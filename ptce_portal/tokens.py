"""Unguessable tokens for personal links (a registration, an invitation to answer)."""

import re
import secrets

# What a token of `new_token` can look like (URL-safe base64), with room up to the 64
# characters of the model fields.
_TOKEN_RE = re.compile(r"[-\w]{1,64}", re.ASCII)


def new_token() -> str:
    """256 random bits, URL-safe (43 characters): fits a CharField(max_length=64)."""
    return secrets.token_urlsafe(32)


def could_be_token(value: str | None) -> bool:
    """False for a value that cannot be a token (empty, too long, a NUL byte that PostgreSQL
    would refuse in a query, non-ASCII): look-ups answer "unknown" without querying."""
    return bool(_TOKEN_RE.fullmatch(value or ""))
