"""HTML blocks the resource centre shows on other apps' pages (declared in
resources/contributions.py)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from referential.models import Assessment
from referential.report import weakest_principals

from . import peers_permissions as permissions
from . import peers_selectors as selectors

WEAKEST_COUNT = 3


def peers_on_weak_objectives(request: HttpRequest, assessment: Assessment) -> str:
    """The results page of a closed self-assessment (slot "referential.results"): for the
    pole's three weakest principal objectives, the published resources filed under them and
    the other poles that offered help there, with « Demander un échange ». Only for the
    assessed pole's coordinators (not its respondents). Five queries."""
    if not permissions.can_see_peer_help(request.user, assessment):
        return ""
    weakest = weakest_principals(assessment, WEAKEST_COUNT)
    if not weakest:
        return ""
    return render_to_string(
        "resources/peers/_results_block.html",
        {
            "assessment": assessment,
            "pole": assessment.pole,
            "rows": selectors.peer_help(pole=assessment.pole, weakest=weakest),
        },
        request=request,
    )
