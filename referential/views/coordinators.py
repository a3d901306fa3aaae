"""Pages of a pole's coordinators: open an assessment, invite respondents, close it, read
its results and report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from poles.selectors import poles_coordinated_by
from ptce_portal import contributions
from ptce_portal.page_cache import personal_page
from ptce_portal.pagination import paginate
from ptce_portal.pdf import pdf_response

from .. import permissions, report, selectors, services
from ..forms import AssessmentOpenForm, CloseForm, InvitationForm
from ..models import QUESTION_COUNT, Assessment, Invitation
from ..services import ReferentialError

PAGE_SIZE = 20


def _managed_assessment(request, pk) -> Assessment:
    """The assessment if the user may manage it (its pole's coordinators); 404 otherwise (a
    foreign pole's assessment is not even acknowledged)."""
    assessment = selectors.assessment_get(pk)
    if assessment is None or not permissions.can_manage_assessment(request.user, assessment):
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
    page = paginate(request, selectors.assessments_coordinated_by(request.user), PAGE_SIZE)
    return render(
        request,
        "referential/coordinator_home.html",
        {
            "poles": poles,
            "form": form,
            "page": page,
            "assessments": page.object_list,
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
    """Invite the addresses typed, one per line. What is refused (a malformed line, a closed
    assessment) comes back on the same page with the form as typed."""
    assessment = _managed_assessment(request, pk)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _render_assessment(request, assessment, form, CloseForm())
    try:
        created, already = services.invitations_create(
            assessment=assessment,
            by=request.user,
            people=form.cleaned_data["emails"],
            category=form.cleaned_data["category"],
            organisation=form.cleaned_data["organisation"],
        )
    except ReferentialError as exc:
        form.add_error(None, exc.message)
        return _render_assessment(request, assessment, form, CloseForm())
    if created:
        messages.success(
            request,
            ngettext(
                "Invitation envoyée à %(emails)s.",
                "%(n)s invitations envoyées : %(emails)s.",
                len(created),
            )
            % {"n": len(created), "emails": ", ".join(i.email for i in created)},
        )
    if already:
        messages.warning(
            request,
            ngettext(
                "%(emails)s est déjà invité·e à cette auto-évaluation : aucune nouvelle "
                "invitation. Pour lui renvoyer le lien, utilisez « Renvoyer » dans la liste.",
                "%(emails)s sont déjà invité·es à cette auto-évaluation : aucune nouvelle "
                "invitation. Pour leur renvoyer le lien, utilisez « Renvoyer » dans la liste.",
                len(already),
            )
            % {"emails": ", ".join(already)},
        )
    return redirect(assessment)


def _managed_invitation(request, pk) -> Invitation:
    """The invitation if the user may manage its assessment; 404 otherwise."""
    invitation = selectors.invitation_get(pk)
    if invitation is None or not permissions.can_manage_assessment(
        request.user, invitation.assessment
    ):
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


def _viewable_assessment(request, pk) -> Assessment:
    assessment = selectors.assessment_get(pk)
    if assessment is None or not permissions.can_see_assessment_results(request.user, assessment):
        raise Http404
    return assessment


@personal_page
@login_required
def results(request, pk):
    assessment = _viewable_assessment(request, pk)
    context = report.assessment_report(assessment)
    context["can_manage"] = permissions.can_manage_assessment(request.user, assessment)
    context["pdf_url"] = reverse("referential:report_pdf", kwargs={"pk": assessment.pk})
    # What other apps add below the results (e.g. resources and help of peer poles on the
    # weakest objectives); each block decides who may see it.
    context["page_blocks"] = contributions.page_blocks("referential.results", request, assessment)
    return render(request, "referential/results.html", context)


@login_required
def report_pdf(request, pk):
    assessment = _viewable_assessment(request, pk)
    return report_pdf_response(assessment)


def report_pdf_response(assessment):
    from ..pdf import render_report

    return pdf_response(
        render_report(assessment, lambda: report.assessment_report(assessment)),
        f"autoevaluation-{assessment.pole.slug}-{assessment.pk}.pdf",
        inline=True,
    )
