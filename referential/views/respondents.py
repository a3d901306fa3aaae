"""Pages of a respondent, reached through their personal link: profile, questions by part,
autosave, and the results once the assessment is closed."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, report, selectors, services
from ..forms import RespondentProfileForm
from ..models import QUESTION_COUNT, SCALE_LABELS
from ..services import ReferentialError
from .coordinators import report_pdf_response


def _invitation_or_error(request, token):
    """Return (invitation, None) or (None, response explaining why the link does not work)."""
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return None, _link_error(
            request,
            _("Lien inconnu"),
            _(
                "Ce lien d'invitation n'existe pas. Vérifiez qu'il est complet, ou demandez à la "
                "coordination du pôle de vous le renvoyer."
            ),
            status=404,
        )
    if invitation.is_revoked:
        return None, _link_error(
            request,
            _("Invitation révoquée"),
            _(
                "La coordination du pôle a révoqué cette invitation "
                ": ce lien ne permet plus de répondre."
            ),
            status=410,
        )
    if invitation.is_expired:
        return None, _link_error(
            request,
            _("Invitation expirée"),
            _(
                "Ce lien a expiré. Demandez à la coordination "
                "du pôle de vous renvoyer l'invitation."
            ),
            status=410,
        )
    if invitation.user_id and invitation.user_id != getattr(request.user, "pk", None):
        login = reverse("account_login") + "?next=" + request.path
        return None, _link_error(
            request,
            _("Lien déjà utilisé"),
            _(
                "Ce lien personnel est déjà rattaché à un compte "
                "du portail. Connectez-vous avec ce "
                "compte pour reprendre vos réponses."
            ),
            status=403,
            action_url=None if request.user.is_authenticated else login,
        )
    return invitation, None


def _link_error(request, title, message, *, status, action_url=None):
    return render(
        request,
        "referential/link_error.html",
        {"title": title, "message": message, "action_url": action_url},
        status=status,
    )


def _maybe_claim(request, invitation):
    """A signed-in respondent whose address is the invited one gets the link attached."""
    if invitation.user_id is None and permissions.can_claim_invitation(request.user, invitation):
        try:
            services.invitation_claim(invitation=invitation, user=request.user)
            invitation.user = request.user
        except ReferentialError:
            pass


def answer_home(request, token):
    invitation, error = _invitation_or_error(request, token)
    if error:
        return error
    _maybe_claim(request, invitation)
    assessment = invitation.assessment
    form = RespondentProfileForm(
        request.POST or None,
        initial={"category": invitation.category, "organisation": invitation.organisation},
    )
    if request.method == "POST":
        if request.POST.get("claim") and request.user.is_authenticated:
            try:
                services.invitation_claim(invitation=invitation, user=request.user)
                messages.success(request, _("Invitation rattachée à votre compte."))
            except ReferentialError as exc:
                messages.error(request, exc.message)
            return redirect("referential:answer_home", token=token)
        if form.is_valid():
            try:
                services.respondent_set_category(invitation=invitation, **form.cleaned_data)
            except ReferentialError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Votre catégorie est enregistrée."))
                return redirect(_resume_url(invitation))
    tree = selectors.version_tree(assessment.version)
    answers = selectors.answers_of(invitation)
    answered = selectors.answered_in(answers)
    resume = selectors.first_unanswered(tree, answers)
    return render(
        request,
        "referential/answer_home.html",
        {
            "invitation": invitation,
            "assessment": assessment,
            "form": form,
            "parts": selectors.answer_progress(tree, answers),
            "answered": answered,
            "total": QUESTION_COUNT,
            "complete": resume is None,
            "missing": QUESTION_COUNT - answered,
            "breakdown_threshold": report.MIN_RESPONDENTS_FOR_BREAKDOWN,
            "resume": resume,
            "resume_url": _resume_url(invitation, tree=tree, answers=answers),
            "can_claim": permissions.can_claim_invitation(request.user, invitation),
            "signup_url": reverse("account_signup") + "?next=" + request.path,
            "login_url": reverse("account_login") + "?next=" + request.path,
        },
    )


def _resume_url(invitation, *, tree=None, answers=None) -> str:
    """The first unanswered question (its part, anchored on it); the summary when every
    question is answered."""
    tree = tree if tree is not None else selectors.version_tree(invitation.assessment.version)
    answers = answers if answers is not None else selectors.answers_of(invitation)
    resume = selectors.first_unanswered(tree, answers)
    if resume is None:
        return reverse("referential:answer_home", kwargs={"token": invitation.token})
    url = reverse(
        "referential:answer_page", kwargs={"token": invitation.token, "part": resume["part"]}
    )
    return f"{url}#question-{resume['code']}"


def _collect_answers(post, general) -> dict[str, tuple[str, str]]:
    data = {}
    for p in general.principals.all():
        for i in p.indicators.all():
            if f"q-{i.code}" in post or f"c-{i.code}" in post:
                data[i.code] = (post.get(f"q-{i.code}", ""), post.get(f"c-{i.code}", ""))
    return data


def answer_page(request, token, part):
    invitation, error = _invitation_or_error(request, token)
    if error:
        return error
    assessment = invitation.assessment
    tree = selectors.version_tree(assessment.version)
    if not 1 <= part <= len(tree):
        raise Http404
    general = tree[part - 1]
    status = 200
    submitted = None
    if request.method == "POST":
        data = _collect_answers(request.POST, general)
        try:
            answered = services.answers_save(invitation=invitation, answers=data)
        except ReferentialError as exc:
            messages.error(
                request, _("Rien n'a été enregistré : %(reason)s") % {"reason": exc.message}
            )
            submitted = data
            status = 400
        else:
            messages.success(
                request,
                _("Réponses enregistrées (%(n)s/%(total)s).")
                % {"n": answered, "total": QUESTION_COUNT},
            )
            # An explicit fragment: the browser would otherwise keep the one of the page
            # posted from (#question-… of the resume link) across the redirect.
            if "next" in request.POST and part < len(tree):
                target = reverse(
                    "referential:answer_page", kwargs={"token": token, "part": part + 1}
                )
            elif "next" in request.POST:
                target = reverse("referential:answer_home", kwargs={"token": token})
            else:
                target = reverse("referential:answer_page", kwargs={"token": token, "part": part})
            return redirect(f"{target}#contenu")
    answers = selectors.answers_of(invitation)
    answered = selectors.answered_in(answers)
    return render(
        request,
        "referential/answer_page.html",
        {
            "invitation": invitation,
            "assessment": assessment,
            "general": general,
            "part": part,
            "parts": range(1, len(tree) + 1),
            "last_part": len(tree),
            "questions": selectors.answer_questions(general, answers, submitted=submitted),
            "scale": [(str(k), v) for k, v in SCALE_LABELS.items()],
            "answered": answered,
            "total": QUESTION_COUNT,
            "readonly": not assessment.is_open,
            # Once someone has started, the questions left without an answer are marked.
            "show_missing": assessment.is_open and 0 < answered < QUESTION_COUNT,
        },
        status=status,
    )


@require_POST
def answer_autosave(request, token):
    """Save one question (fetch from answer.js). Same checks as the form; JSON reply."""
    invitation, error = _invitation_or_error(request, token)
    if error:
        return JsonResponse(
            {"ok": False, "error": _("Ce lien ne permet plus de répondre.")},
            status=error.status_code,
        )
    code = request.POST.get("code", "")
    try:
        answered = services.answers_save(
            invitation=invitation,
            answers={code: (request.POST.get("choice", ""), request.POST.get("comment", ""))},
        )
    except ReferentialError as exc:
        return JsonResponse({"ok": False, "error": exc.message}, status=400)
    return JsonResponse({"ok": True, "answered": answered, "total": QUESTION_COUNT})


def token_results(request, token):
    invitation, error = _invitation_or_error(request, token)
    if error:
        return error
    assessment = invitation.assessment
    if assessment.is_open:
        messages.info(
            request,
            _(
                "Les résultats seront visibles quand la coordination "
                "aura clôturé l'auto-évaluation."
            ),
        )
        return redirect("referential:answer_home", token=token)
    context = report.assessment_report(assessment)
    context["pdf_url"] = reverse("referential:token_report_pdf", kwargs={"token": token})
    return render(request, "referential/results.html", context)


def token_report_pdf(request, token):
    invitation, error = _invitation_or_error(request, token)
    if error:
        return error
    if invitation.assessment.is_open:
        raise Http404
    return report_pdf_response(invitation.assessment)
