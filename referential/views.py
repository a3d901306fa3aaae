"""Thin views of the referential: presentation, coordinator pages, respondent pages,
results, PDF report, community benchmark and the staff overview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import slug_re
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poles.selectors import poles_coordinated_by
from ptce_portal.pdf import pdf_response
from ptce_portal.permissions import staff_required

from . import permissions, selectors, services
from .forms import AssessmentOpenForm, CloseForm, InvitationForm, RespondentProfileForm
from .models import QUESTION_COUNT, SCALE_LABELS, Assessment, Invitation
from .radar import Series, radar_svg
from .services import ReferentialError

# --- Public pages ---------------------------------------------------------------------


def presentation(request):
    version = None
    code = request.GET.get("version", "")
    if slug_re.match(code):  # a version code is a slug; anything else shows the current one
        version = selectors.published_versions().filter(code=code).first()
    version = version or selectors.current_version()
    if version is None:
        return render(request, "referential/presentation.html", {"version": None})
    return render(
        request,
        "referential/presentation.html",
        {
            "version": version,
            "tree": selectors.version_tree(version),
            "versions": selectors.published_versions(),
            "scale": SCALE_LABELS.items(),
        },
    )


def community(request):
    version = selectors.current_version()
    if version is None:
        raise Http404
    overview = selectors.community_overview(version)
    context = {"version": version, **overview, "min_poles": selectors.MIN_BENCHMARK_POLES}
    if overview["benchmark"]["enough"]:
        labels = [(r["principal"].code, r["principal"].label) for r in overview["rows"]]
        context["radar"] = radar_svg(
            labels=labels,
            series=[
                Series(
                    _("Médiane de la communauté"),
                    [r["stats"]["median"] if r["stats"] else None for r in overview["rows"]],
                    "current",
                )
            ],
            title=_("Médiane des pôles par objectif principal"),
            uid="radar-communaute",
        )
    return render(request, "referential/community.html", context)


@staff_required
def staff_overview(request):
    version = selectors.current_version()
    if version is None:
        raise Http404
    context = {"version": version, **selectors.region_aggregates(version)}
    context["benchmark"] = selectors.benchmark(version, tree=context["tree"])
    return render(request, "referential/staff_overview.html", context)


# --- Coordinator pages ----------------------------------------------------------------


def _managed_assessment(request, pk) -> Assessment:
    """The assessment if the user may manage it (its pole's coordinators); 404 otherwise (a
    foreign pole's assessment is not even acknowledged)."""
    assessment = get_object_or_404(Assessment.objects.select_related("pole", "version"), pk=pk)
    if not permissions.can_manage_assessment(request.user, assessment):
        raise Http404
    return assessment


@login_required
def coordinator_home(request):
    poles = poles_coordinated_by(request.user)
    form = AssessmentOpenForm(request.POST or None, poles=poles)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_open(
                pole=form.cleaned_data["pole"], user=request.user, title=form.cleaned_data["title"]
            )
        except ReferentialError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Auto-évaluation ouverte. Invitez maintenant les répondant·es.")
            )
            return redirect(assessment)
    return render(
        request,
        "referential/coordinator_home.html",
        {
            "poles": poles,
            "form": form,
            "assessments": selectors.assessments_coordinated_by(request.user),
            "version": selectors.current_version(),
        },
    )


@login_required
def assessment_detail(request, pk):
    assessment = _managed_assessment(request, pk)
    return _render_assessment(request, assessment, InvitationForm(), CloseForm())


def _render_assessment(request, assessment, invite_form, close_form, status=200):
    people = selectors.respondents(assessment)
    return render(
        request,
        "referential/assessment_detail.html",
        {
            "assessment": assessment,
            "respondents": people,
            "invite_form": invite_form,
            "close_form": close_form,
            "total": QUESTION_COUNT,
            "complete": sum(1 for p in people if p.answered == QUESTION_COUNT and not p.revoked_at),
            "active": sum(1 for p in people if not p.revoked_at),
        },
        status=status,
    )


@login_required
@require_POST
def invite(request, pk):
    assessment = _managed_assessment(request, pk)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _render_assessment(request, assessment, form, CloseForm(), status=400)
    try:
        invitation = services.invitation_create(
            assessment=assessment, by=request.user, **form.cleaned_data
        )
    except ReferentialError as exc:
        form.add_error(None, exc.message)
        return _render_assessment(request, assessment, form, CloseForm(), status=400)
    messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email})
    return redirect(assessment)


def _managed_invitation(request, pk) -> Invitation:
    """The invitation if the user may manage its assessment; 404 otherwise."""
    invitation = get_object_or_404(Invitation.objects.select_related("assessment__pole"), pk=pk)
    if not permissions.can_manage_assessment(request.user, invitation.assessment):
        raise Http404
    return invitation


@login_required
@require_POST
def invitation_resend(request, pk):
    invitation = _managed_invitation(request, pk)
    try:
        services.invitation_resend(invitation=invitation, by=request.user)
    except ReferentialError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Invitation renvoyée à %(email)s.") % {"email": invitation.email}
        )
    return redirect(invitation.assessment)


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = _managed_invitation(request, pk)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ReferentialError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Invitation de %(email)s révoquée : son lien ne fonctionne plus et ses réponses "
                "ne comptent plus."
            )
            % {"email": invitation.email},
        )
    return redirect(invitation.assessment)


@login_required
@require_POST
def assessment_close(request, pk):
    assessment = _managed_assessment(request, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cochez la case de confirmation pour clôturer."))
        return redirect(assessment)
    try:
        services.assessment_close(assessment=assessment, by=request.user)
    except ReferentialError as exc:
        messages.error(request, exc.message)
        return redirect(assessment)
    messages.success(request, _("Auto-évaluation clôturée. Voici les résultats."))
    return redirect("referential:results", pk=assessment.pk)


# --- Results --------------------------------------------------------------------------


def _results_context(assessment: Assessment) -> dict:
    results = selectors.assessment_results(assessment)
    principals = results["principals"]
    labels = [(p.principal.code, p.principal.label) for p in principals]
    series = [Series(str(assessment.title), [p.score for p in principals], "current")]
    if results["history"]:
        last = results["history"][-1]
        series.append(
            Series(
                str(last["assessment"].title),
                [last["principals"].get(c) for c, _l in labels],
                "previous",
            )
        )
    if results["benchmark"]["enough"]:
        series.append(
            Series(
                _("Médiane des autres pôles"),
                [p.benchmark["median"] if p.benchmark else None for p in principals],
                "community",
            )
        )
    radar = radar_svg(
        labels=labels,
        series=series,
        title=_("Radar des 9 objectifs principaux — %(pole)s") % {"pole": assessment.pole.name},
    )
    return {
        "assessment": assessment,
        "results": results,
        "radar": radar,
        "series": series,
        "total": QUESTION_COUNT,
    }


def _viewable_assessment(request, pk) -> Assessment:
    assessment = get_object_or_404(Assessment.objects.select_related("pole", "version"), pk=pk)
    if not permissions.can_see_assessment_results(request.user, assessment):
        raise Http404
    return assessment


@login_required
def results(request, pk):
    assessment = _viewable_assessment(request, pk)
    context = _results_context(assessment)
    context["can_manage"] = permissions.can_manage_assessment(request.user, assessment)
    context["pdf_url"] = reverse("referential:report_pdf", kwargs={"pk": assessment.pk})
    return render(request, "referential/results.html", context)


@login_required
def report_pdf(request, pk):
    assessment = _viewable_assessment(request, pk)
    return _pdf_response(assessment)


def _pdf_response(assessment):
    from .pdf import render_report

    return pdf_response(
        render_report(assessment, lambda: _results_context(assessment)),
        f"autoevaluation-{assessment.pole.slug}-{assessment.pk}.pdf",
        inline=True,
    )


# --- Respondents (personal link) ------------------------------------------------------


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
                return redirect("referential:answer_page", token=token, part=1)
    tree = selectors.version_tree(assessment.version)
    answers = selectors.answers_of(invitation)
    answered = sum(1 for a in answers.values() if a.is_answered)
    parts = []
    for n, g in enumerate(tree, start=1):
        codes = [i.code for p in g.principals.all() for i in p.indicators.all()]
        parts.append(
            {
                "number": n,
                "general": g,
                "answered": sum(1 for c in codes if c in answers and answers[c].is_answered),
                "total": len(codes),
            }
        )
    return render(
        request,
        "referential/answer_home.html",
        {
            "invitation": invitation,
            "assessment": assessment,
            "form": form,
            "parts": parts,
            "answered": answered,
            "total": QUESTION_COUNT,
            "can_claim": permissions.can_claim_invitation(request.user, invitation),
            "signup_url": reverse("account_signup") + "?next=" + request.path,
            "login_url": reverse("account_login") + "?next=" + request.path,
        },
    )


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
            if "next" in request.POST and part < len(tree):
                return redirect("referential:answer_page", token=token, part=part + 1)
            if "next" in request.POST:
                return redirect("referential:answer_home", token=token)
            return redirect(
                reverse("referential:answer_page", kwargs={"token": token, "part": part})
            )
    answers = selectors.answers_of(invitation)
    questions = []
    for p in general.principals.all():
        items = []
        for i in p.indicators.all():
            a = answers.get(i.code)
            if submitted and i.code in submitted:
                choice, comment = submitted[i.code]
            elif a:
                choice = "ns" if a.dont_know else ("" if a.value is None else str(a.value))
                comment = a.comment
            else:
                choice, comment = "", ""
            items.append({"indicator": i, "choice": choice, "comment": comment})
        questions.append({"principal": p, "items": items})
    answered = sum(1 for a in answers.values() if a.is_answered)
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
            "questions": questions,
            "scale": [(str(k), v) for k, v in SCALE_LABELS.items()],
            "answered": answered,
            "total": QUESTION_COUNT,
            "readonly": not assessment.is_open,
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
    context = _results_context(assessment)
    context["pdf_url"] = reverse("referential:token_report_pdf", kwargs={"token": token})
    return render(request, "referential/results.html", context)


def token_report_pdf(request, token):
    invitation, error = _invitation_or_error(request, token)
    if error:
        return error
    if invitation.assessment.is_open:
        raise Http404
    return _pdf_response(invitation.assessment)
