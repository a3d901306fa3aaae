from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from poles.apps import CONTENT_VERSION as POLES_CONTENT_VERSION
from poles.selectors import poles_coordinated_by
from ptce_portal.exports import content_disposition
from ptce_portal.page_cache import public_page
from ptce_portal.pagination import paginate
from ptce_portal.permissions import staff_required
from ptce_portal.querystrings import querystring_without, querystring_without_empty
from referential.apps import CONTENT_VERSION as REFERENTIAL_CONTENT_VERSION

from . import licences, selectors, services
from .apps import CONTENT_VERSION
from .filters import criteria_from
from .forms import RefusalForm, ResourceForm
from .models import MAX_ATTACHMENTS, Resource
from .permissions import can_edit, can_moderate, can_propose, can_submit, can_view

PAGE_SIZE = 20


def _add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: per field when it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@public_page(CONTENT_VERSION, POLES_CONTENT_VERSION, REFERENTIAL_CONTENT_VERSION)
@require_GET
def resource_list(request):
    clean = querystring_without_empty(request)
    if clean is not None:  # ?q=&type=tool goes to ?type=tool
        return redirect(f"{request.path}?{clean}" if clean else request.path)
    criteria = criteria_from(request.GET)
    page = paginate(request, selectors.search_results(criteria), PAGE_SIZE)
    facets = selectors.facets(criteria)
    return render(
        request,
        "resources/list.html",
        {
            "criteria": criteria,
            "page": page,
            "resources": page.object_list,
            "count": page.paginator.count,
            "facets": facets,
            "has_facets": any(facets.values()),
            "can_propose": can_propose(request.user),
            "reset_querystring": querystring_without(request, "page"),
        },
    )


def _resource_or_404(request, slug: str) -> Resource:
    resource = selectors.resource_detail(slug)
    if resource is None or not can_view(request.user, resource):
        raise Http404
    return resource


@public_page(CONTENT_VERSION, POLES_CONTENT_VERSION, REFERENTIAL_CONTENT_VERSION)
@require_GET
def resource_detail(request, slug):
    resource = _resource_or_404(request, slug)
    return render(
        request,
        "resources/detail.html",
        {
            "resource": resource,
            "attachments": list(resource.attachments.all()),
            "poles": list(resource.poles.all()),
            "licence": licences.get(resource.licence),
            "can_edit": can_edit(request.user, resource),
            "can_submit": can_submit(request.user, resource),
            "can_moderate": can_moderate(request.user),
        },
    )


@require_GET
def attachment_download(request, slug, pk):
    """The file, from the storage, with the type read from its content when it was added
    and its original name; only for those who may see the resource."""
    attachment = selectors.attachment_of(slug, pk)
    if attachment is None or not can_view(request.user, attachment.resource):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(attachment.original_name)
    response["Content-Length"] = str(attachment.size)
    response["X-Content-Type-Options"] = "nosniff"
    if not attachment.resource.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


def _form_page(request, form, *, resource=None, status=200):
    return render(
        request,
        "resources/edit.html",
        {
            "form": form,
            "resource": resource,
            "attachments": list(resource.attachments.all()) if resource else [],
            "max_attachments": MAX_ATTACHMENTS,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_create(request):
    if not can_propose(request.user):
        raise PermissionDenied(
            _("Seuls les coordinateurs d'un pôle et l'équipe peuvent proposer une ressource.")
        )
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                resource = services.resource_create(
                    by=request.user,
                    data=form.data_for_service(),
                    uploads=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Brouillon enregistré. Relisez-le, puis soumettez-le : l'équipe le "
                        "publiera."
                    ),
                )
                return redirect(resource.get_absolute_url())
        return _form_page(request, form, status=400)
    form = ResourceForm(initial={"poles": list(poles_coordinated_by(request.user))})
    return _form_page(request, form)


def _editable_or_error(request, slug: str) -> Resource:
    resource = _resource_or_404(request, slug)
    if not can_edit(request.user, resource):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette ressource."))
    return resource


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request, slug):
    resource = _editable_or_error(request, slug)
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES, instance=resource)
        if form.is_valid():
            try:
                resource = services.resource_update(
                    resource=resource,
                    by=request.user,
                    data=form.data_for_service(),
                    uploads=form.cleaned_data["attachments"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Ressource enregistrée."))
                return redirect(resource.get_absolute_url())
        resource.refresh_from_db()
        return _form_page(request, form, resource=resource, status=400)
    return _form_page(request, ResourceForm(instance=resource), resource=resource)


@login_required
@require_POST
def resource_submit(request, slug):
    resource = _resource_or_404(request, slug)
    try:
        services.resource_submit(resource=resource, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Ressource envoyée à l'équipe : vous recevrez un e-mail quand elle sera publiée."),
        )
    return redirect(resource.get_absolute_url())


@login_required
@require_POST
def attachment_delete(request, slug, pk):
    attachment = selectors.attachment_of(slug, pk)
    if attachment is None or not can_view(request.user, attachment.resource):
        raise Http404
    services.attachment_delete(attachment=attachment, by=request.user)
    messages.success(
        request, _("Fichier « %(name)s » retiré.") % {"name": attachment.original_name}
    )
    return redirect("resources:edit", slug=slug)


@staff_required
@require_GET
def moderation_queue(request):
    return render(
        request,
        "resources/moderation.html",
        {
            "pending": list(selectors.pending()),
            "recent": list(selectors.recent_decisions()),
            "refusal_form": RefusalForm(),
        },
    )


@staff_required
@require_POST
def moderation_decide(request, slug):
    resource = selectors.resource_detail(slug)
    if resource is None:
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "publish":
            services.resource_publish(resource=resource, by=request.user)
            messages.success(
                request,
                _("« %(title)s » est publiée ; l'auteur est prévenu par e-mail.")
                % {"title": resource.title},
            )
        elif action == "refuse":
            form = RefusalForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Indiquez le motif du refus : il sera envoyé à l'auteur."))
            services.resource_refuse(
                resource=resource, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request,
                _("« %(title)s » est refusée ; l'auteur est prévenu par e-mail.")
                % {"title": resource.title},
            )
        elif action == "unpublish":
            services.resource_unpublish(resource=resource, by=request.user)
            messages.success(
                request,
                _("« %(title)s » est retirée du centre de ressources (redevenue brouillon).")
                % {"title": resource.title},
            )
        else:
            raise ValidationError(_("Action inconnue."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("resources:moderation")
