"""Personal data held by referential: the self-assessments the person opened, the
invitations addressed to them (by account or e-mail) and their answers. See
ptce_portal.personal_data for the contract."""

from ptce_portal.personal_data import owned_by
from ptce_portal.tokens import new_token

from .models import Answer, Assessment, Invitation


def _invitations(user):
    return Invitation.objects.filter(owned_by(user, user_field="user", email_field="email"))


def export(user) -> dict:
    invitations = list(
        _invitations(user).select_related("assessment__pole").order_by("created_at", "pk")
    )
    answers: dict[int, list] = {}
    for answer in (
        Answer.objects.filter(invitation__in=invitations)
        .select_related("indicator")
        .order_by("invitation_id", "indicator__code")
    ):
        answers.setdefault(answer.invitation_id, []).append(
            {
                "question": answer.indicator.code,
                "reponse": answer.value,
                "ne_sais_pas": answer.dont_know,
                "commentaire": answer.comment,
                "modifiee_le": answer.updated_at,
            }
        )
    return {
        "auto_evaluations_ouvertes": [
            {
                "pole": a.pole.name,
                "intitule": a.title,
                "statut": a.status,
                "ouverte_le": a.opened_at,
                "cloturee_le": a.closed_at,
            }
            for a in Assessment.objects.filter(opened_by=user)
            .select_related("pole")
            .order_by("opened_at", "pk")
        ],
        "invitations": [
            {
                "pole": i.assessment.pole.name,
                "auto_evaluation": i.assessment.title,
                "email": i.email,
                "nom": i.name,
                "categorie": i.category,
                "structure": i.organisation,
                "invitee_le": i.created_at,
                "expire_le": i.expires_at,
                "revoquee_le": i.revoked_at,
                "reponses": answers.get(i.pk, []),
            }
            for i in invitations
        ],
    }


def personal_values(user) -> set[str]:
    return {
        name.strip()
        for name in _invitations(user).values_list("name", flat=True)
        if name and name.strip()
    }


def owned_objects(user) -> dict:
    return {Invitation: list(_invitations(user).values_list("pk", flat=True))}


def erase(user) -> None:
    """Invitations lose the e-mail, name and link of the person (a new unguessable token:
    the old link stops working); the answers stay, so the pole's results do not change
    (they are shown by category of respondent, never by name)."""
    for invitation in _invitations(user).only("pk"):
        Invitation.objects.filter(pk=invitation.pk).update(
            email=f"efface-{invitation.pk}@anonyme.invalid",
            name="",
            user=None,
            token=new_token(),
        )
