MASK = "***"


def mask(value: str) -> str:
    """Replaces a personal value in the log, keeping nothing of it (not even its length).

    An empty value stays visible, so the log still tells "added" from "removed".
    """
    return value if value in ("", "None") else MASK
