"""The coordinators' pages: their pole's report for a campaign (draft, autosave, submit)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..forms import ReportForm
from ..models import Report
from ..permissions import can_fill_report


def _pole_campaign_or_404(request, slug: str, year: int):
    """The signatory pole the user coordinates, and the campaign (404 otherwise: the page
    is not advertised)."""
    pole = selectors.signatory_pole(slug)
    campaign = selectors.campaign_get(year)
    if pole is None or campaign is None or not can_fill_report(request.user, pole):
        raise Http404
    return pole, campaign


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request, slug: str, year: int):
    pole, campaign = _pole_campaign_or_404(request, slug, year)
    report = selectors.report_get(campaign=campaign, pole=pole)
    if report is None and not campaign.is_open:
        raise Http404
    editable = campaign.is_open and (report is None or report.is_editable)
    status = 200
    if request.method == "POST" and editable:
        submit = request.POST.get("action") == "submit"
        if report is None:
            report = services.report_start(campaign=campaign, pole=pole, by=request.user)
        form = ReportForm(request.POST, instance=report, campaign=campaign, draft=not submit)
        if form.is_valid():
            try:
                services.report_save(
                    report=report,
                    by=request.user,
                    values=form.values(),
                    themes=form.cleaned_data.get("themes"),
                    submit=submit,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if submit:
                    messages.success(
                        request,
                        _(
                            "Rapport transmis : l'équipe du Labo de l'ESS va le relire ; vous "
                            "recevrez un e-mail."
                        ),
                    )
                else:
                    messages.success(request, _("Brouillon enregistré."))
                return redirect(report.get_absolute_url())
        status = 400
    elif request.method == "POST":
        messages.error(request, _("Ce rapport ne peut plus être modifié."))
        return redirect("observatory:report_edit", slug=slug, year=year)
    else:
        form = ReportForm(
            instance=report or Report(campaign=campaign, pole=pole), campaign=campaign
        )
    return render(
        request,
        "observatory/report_edit.html",
        {
            "pole": pole,
            "campaign": campaign,
            "report": report,
            "form": form,
            "editable": editable,
            "figures": selectors.report_figures(report) if report and not editable else None,
        },
        status=status,
    )


@login_required
@require_POST
def report_autosave(request, slug: str, year: int):
    """Save the draft as typed (fetch from static/observatory/report.js); JSON reply. Same
    checks as the form: a bad value stores nothing and says why."""
    pole, campaign = _pole_campaign_or_404(request, slug, year)
    report = selectors.report_get(campaign=campaign, pole=pole)
    if not campaign.is_open or (report is not None and not report.is_editable):
        return JsonResponse(
            {"ok": False, "error": _("Ce rapport ne peut plus être modifié.")}, status=409
        )
    if report is None:
        report = services.report_start(campaign=campaign, pole=pole, by=request.user)
    form = ReportForm(request.POST, instance=report, campaign=campaign, draft=True)
    if form.is_valid():
        try:
            services.report_save(
                report=report,
                by=request.user,
                values=form.values(),
                themes=form.cleaned_data.get("themes"),
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            return JsonResponse({"ok": True, "saved_at": timezone.localtime().strftime("%H:%M")})
    errors = {
        name: [str(message) for message in messages_] for name, messages_ in form.errors.items()
    }
    name, first = next(iter(errors.items()))
    if name in form.fields:  # which figure, as the error summary says it
        first = [f"{form[name].label} : {first[0]}"]
    return JsonResponse(
        {
            "ok": False,
            "error": _("Non enregistré : %(error)s") % {"error": first[0]},
            "errors": errors,
        },
        status=400,
    )
