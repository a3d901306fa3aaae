"""Panel of "Mon espace": the user's charter signatures and a link to sign."""

from . import selectors


def panel(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    signatures = list(selectors.signatures_of_user(user))
    for signature in signatures:
        signature.can_download = signature.is_valid and selectors.can_manage_signature(
            user, signature
        )
    return {
        "template": "charter/_dashboard_panel.html",
        "signatures": signatures,
        "version": selectors.current_version(),
        "pending_count": selectors.pending_signatures().count() if user.is_staff else None,
    }
