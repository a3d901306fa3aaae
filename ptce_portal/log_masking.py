"""Personal-link secrets kept out of the logs.

A personal link carries its secret in the path: a respondent's
(/referentiel/repondre/<token>/…), a registration's (/journees/<slug>/inscription/<token>/),
an e-mail confirmation (/compte/confirm-email/<key>/) or a password reset
(/compte/password/reset/key/<uidb36>-<key>/). Whoever reads a log line holding one could open
that person's page. `mask_secrets` replaces each secret by « *** »; `MaskSecretsFilter` applies
it to every log record, for the application's logs (settings.LOGGING) and gunicorn's access
and error logs (deploy/gunicorn.conf.py, logconfig_dict).

Only the standard library here: gunicorn loads this module before Django is set up.
"""

import logging
import re

MASK = "***"

# The path segment after one of these holds a secret, up to the next "/", "?", space or quote.
SECRET_AFTER = (
    "/repondre/",
    "/inscription/",
    "/confirm-email/",
    "/password/reset/key/",
)
_SECRET_IN_PATH = re.compile(
    "(" + "|".join(re.escape(prefix) for prefix in SECRET_AFTER) + r")[^/?#\s\"']+"
)
# …and in a query string, should a link ever carry one there.
_SECRET_IN_QUERY = re.compile(r"([?&](?:token|key|code)=)[^&#\s\"']+", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """`text` with every personal-link secret replaced by « *** »."""
    if "/" not in text and "=" not in text:
        return text
    text = _SECRET_IN_PATH.sub(r"\1" + MASK, text)
    return _SECRET_IN_QUERY.sub(r"\1" + MASK, text)


class MaskSecretsFilter(logging.Filter):
    """Masks secrets in the record's message: the message is formatted once here (with its
    arguments, e.g. gunicorn's access-log atoms or Django's « Not Found: %s »), then masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report
            return True
        masked = mask_secrets(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        return True
