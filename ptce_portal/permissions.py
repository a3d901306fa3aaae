"""Who may do what: the one place for the portal's access rules.

Roles:
- the public (anonymous visitors);
- a signed-in member, who coordinates the poles staff approved them for (object-level rules:
  a coordinator manages only their poles, the signatures of their poles and their assessments);
- a regional coordination (optional role): moderates the poles of its regions (coordinator
  requests, pole edits under review) from /moderation-regionale/, without being staff;
- the staff of the Labo de l'ESS: an active account with `is_staff` that belongs to the group
  `STAFF_GROUP` (its model permissions run the admin). Superusers count as staff too, but the
  portal never needs one. Staff must have an activated second factor (TOTP, see
  `ptce_portal.middleware.StaffSecondFactorMiddleware`).

Views, services, selectors, dashboards and templates ask these predicates instead of reading
`is_staff` or coordinator rows themselves. `poles` must not import the other apps, so the
predicates import app modules lazily, inside the functions.
"""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404

STAFF_GROUP = "Équipe du Labo de l'ESS"

# Model permissions of the staff group: each app declares its own in its contribution
# (`staff_permissions`: app label -> actions on every model of the app, or (app label,
# model name) -> actions on that model, which wins).

_CACHE_ATTR = "_ptce_is_portal_staff"


# --- Roles ---------------------------------------------------------------------------------


def is_portal_staff(user) -> bool:
    """Active, `is_staff` and member of the staff group (or superuser). One query per user
    object, remembered on it."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = user.groups.filter(name=STAFF_GROUP).exists()
        setattr(user, _CACHE_ATTR, cached)
    return cached


def staff_users() -> QuerySet:
    """Every account that `is_portal_staff` accepts (e.g. to notify the team)."""
    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True) | Q(groups__name=STAFF_GROUP), is_active=True, is_staff=True
        )
        .distinct()
    )


def needs_second_factor(user) -> bool:
    """Accounts that can open the admin must have an activated TOTP authenticator."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def can_delete_own_account(user) -> bool:
    """Delete the account (from Mon espace; the admin refuses the same accounts): not a staff
    or superuser account, whose administration actions must stay attributed."""
    return bool(user is not None and not user.is_staff and not user.is_superuser)


# --- Poles ---------------------------------------------------------------------------------


def is_pole_coordinator(user, pole) -> bool:
    """An approved coordinator of the pole."""
    from poles.selectors import is_coordinator

    return user is not None and user.is_authenticated and is_coordinator(user, pole)


def can_edit_pole(user, pole) -> bool:
    """Change the pole's public page and members: staff, or one of its coordinators."""
    return is_portal_staff(user) or is_pole_coordinator(user, pole)


def can_view_pole(user, pole) -> bool:
    """Published poles are public; the others are seen by staff and their coordinators."""
    return pole.is_published or can_edit_pole(user, pole)


def pole_edits_skip_review(user) -> bool:
    """Staff changes go straight to the public page, even on poles whose edits need review."""
    return is_portal_staff(user)


def can_moderate_poles(user) -> bool:
    """Decide on coordinator requests, proposed poles and pole edits under review, for every
    pole (in the admin)."""
    return is_portal_staff(user)


# Regional coordination: moderates the poles of its regions (coordinator requests, pole edits
# under review) from its own page, without being staff.

_REGIONS_ATTR = "_ptce_moderated_region_ids"


def moderated_region_ids(user) -> frozenset:
    """Ids of the regions (current or former) `user` coordinates; remembered on the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _REGIONS_ATTR, None)
    if cached is None:
        from poles.models import RegionalCoordination

        cached = frozenset(
            RegionalCoordination.objects.filter(user=user).values_list("region_id", flat=True)
        )
        setattr(user, _REGIONS_ATTR, cached)
    return cached


def can_moderate_pole(user, pole) -> bool:
    """Staff, or the regional coordination of the pole's current or former region."""
    if is_portal_staff(user):
        return True
    regions = moderated_region_ids(user)
    return bool(regions) and (pole.region_id in regions or pole.former_region_id in regions)


# --- Charter -------------------------------------------------------------------------------


def can_manage_signature(user, signature) -> bool:
    """See the full signature (personal data), its PDF, withdraw it: staff and the pole's
    approved coordinators."""
    return is_portal_staff(user) or _coordinates_pole_id(user, signature.pole_id)


def can_view_signature(user, signature) -> bool:
    """The signer also sees their own signature while it waits for validation."""
    if user is None or not user.is_authenticated:
        return False
    return signature.signer_id == user.pk or can_manage_signature(user, signature)


def can_sign_for_pole(user, pole) -> bool:
    """Sign the charter in the name of an existing pole: its coordinators only."""
    return is_pole_coordinator(user, pole)


def can_decide_signatures(user) -> bool:
    """Validate or refuse submitted charter signatures."""
    return is_portal_staff(user)


# --- Referential ---------------------------------------------------------------------------


def can_open_assessment(user, pole) -> bool:
    return is_pole_coordinator(user, pole)


def can_manage_assessment(user, assessment) -> bool:
    """Invite, close, read every answer: the coordinators of the assessed pole."""
    return _coordinates_pole_id(user, assessment.pole_id)


def can_see_assessment_results(user, assessment) -> bool:
    """The pole's coordinators, and the respondents of this assessment (signed in)."""
    if user is None or not user.is_authenticated:
        return False
    if can_manage_assessment(user, assessment):
        return True
    return assessment.invitations.filter(user=user, revoked_at__isnull=True).exists()


def can_claim_invitation(user, invitation) -> bool:
    """Attach a respondent's personal link to an account: the account of the invited
    address only (one of its verified addresses)."""
    from .personal_data import verified_emails

    if user is None or not user.is_authenticated:
        return False
    return invitation.email.lower() in verified_emails(user)


# --- Events --------------------------------------------------------------------------------


def can_manage_event(user) -> bool:
    """Participants list, check-in, certificates, messages to registrants."""
    return is_portal_staff(user)


# --- Helpers -------------------------------------------------------------------------------


def _coordinates_pole_id(user, pole_id) -> bool:
    """is_pole_coordinator for a pole known by its id (poles.selectors.is_coordinator: a
    foreign key lookup takes the pole or its id)."""
    return is_pole_coordinator(user, pole_id)


def staff_required(view):
    """Staff pages: anonymous visitors go to the login page, signed-in people who are not
    staff get a 404 (the page is not advertised). The view is marked so that the second
    factor middleware knows it is a staff page."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_portal_staff(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapper.staff_only = True
    return wrapper


# --- The staff group -----------------------------------------------------------------------


def staff_group_permissions() -> QuerySet:
    """The Permission rows the staff group holds, from the apps' `staff_permissions`."""
    from django.apps import apps
    from django.contrib.auth.models import Permission

    from .contributions import staff_permissions

    granted = staff_permissions()
    codenames = Q(pk__in=[])
    for model in apps.get_models():
        meta = model._meta  # proxy models have permissions of their own: included
        actions = granted.get((meta.app_label, meta.model_name))
        if actions is None:
            actions = granted.get(meta.app_label)
        if not actions:
            continue
        codenames |= Q(
            content_type__app_label=meta.app_label,
            content_type__model=meta.model_name,
            codename__in=[f"{action}_{meta.model_name}" for action in actions],
        )
    return Permission.objects.filter(codenames)


def sync_staff_group(*, using: str = "default"):
    """Create the staff group if needed and give it exactly the apps' `staff_permissions`
    (idempotent)."""
    from django.contrib.auth.models import Group

    group, _created = Group.objects.using(using).get_or_create(name=STAFF_GROUP)
    group.permissions.set(staff_group_permissions().using(using))
    return group


def staff_group():
    """The staff group, created with its permissions if it does not exist yet."""
    from django.contrib.auth.models import Group

    group = Group.objects.filter(name=STAFF_GROUP).first()
    return group if group is not None else sync_staff_group()
