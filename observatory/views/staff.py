"""Staff's pages: the campaigns (create, open, close) and the review of the reports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ptce_portal.permissions import staff_required

from .. import selectors, services
from ..forms import CampaignForm, ReturnForm


@staff_required
@require_http_methods(["GET", "POST"])
def campaigns(request):
    form = CampaignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = services.campaign_create(
                    by=request.user,
                    year=form.cleaned_data["year"],
                    opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Campagne %(year)s créée : ouvrez-la quand les pôles peuvent répondre.")
                    % {"year": campaign.year},
                )
                return redirect("observatory:staff_campaign", year=campaign.year)
        status = 400
    campaign_list = list(selectors.campaigns())
    counts = selectors.state_counts_by_campaign()
    for campaign in campaign_list:
        campaign.counts = counts.get(campaign.pk, {})
    return render(
        request,
        "observatory/staff/campaigns.html",
        {
            "campaigns": campaign_list,
            "form": form,
            "has_questionnaire": selectors.latest_questionnaire() is not None,
        },
        status=status,
    )


def _campaign_or_404(year: int):
    campaign = selectors.campaign_get(year)
    if campaign is None:
        raise Http404
    return campaign


@staff_required
def campaign_detail(request, year: int):
    campaign = _campaign_or_404(year)
    reports = list(selectors.campaign_reports(campaign))
    with_report = {report.pole_id for report in reports}
    return render(
        request,
        "observatory/staff/campaign.html",
        {
            "campaign": campaign,
            "reports": reports,
            "counts": selectors.state_counts(campaign),
            "without_report": [
                pole for pole in selectors.signatory_poles() if pole.pk not in with_report
            ],
        },
    )


@staff_required
@require_POST
def campaign_state(request, year: int):
    campaign = _campaign_or_404(year)
    action = request.POST.get("action")
    try:
        if action == "open":
            services.campaign_open(campaign=campaign, by=request.user)
            messages.success(
                request,
                _("Campagne %(year)s ouverte : les coordinateurs des pôles signataires peuvent "
                  "remplir leur rapport.") % {"year": year},
            )  # fmt: skip
        elif action == "close":
            services.campaign_close(campaign=campaign, by=request.user)
            messages.success(request, _("Campagne %(year)s clôturée.") % {"year": year})
        else:
            raise ValidationError(_("Action inconnue."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("observatory:staff_campaign", year=year)


@staff_required
@require_http_methods(["GET", "POST"])
def report_review(request, year: int, slug: str):
    report = selectors.report_for(year=year, slug=slug)
    if report is None:
        raise Http404
    return_form = ReturnForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.report_accept(report=report, by=request.user)
                messages.success(
                    request,
                    _("Rapport de « %(pole)s » accepté ; les coordinateurs sont prévenus.")
                    % {"pole": report.pole.name},
                )
                return redirect("observatory:staff_campaign", year=year)
            if action == "return":
                return_form = ReturnForm(request.POST)
                if return_form.is_valid():
                    services.report_return(
                        report=report, by=request.user, reason=return_form.cleaned_data["reason"]
                    )
                    messages.success(
                        request,
                        _("Rapport de « %(pole)s » renvoyé ; les coordinateurs ont le motif.")
                        % {"pole": report.pole.name},
                    )
                    return redirect("observatory:staff_campaign", year=year)
            else:
                raise ValidationError(_("Action inconnue."))
        except ValidationError as exc:
            if action == "return" and hasattr(exc, "error_dict"):
                return_form.add_error(None, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("observatory:staff_review", year=year, slug=slug)
        status = 400
    return render(
        request,
        "observatory/staff/review.html",
        {
            "report": report,
            "campaign": report.campaign,
            "figures": selectors.report_figures(report),
            "return_form": return_form,
            "form": return_form,
        },
        status=status,
    )
