"""The portal's roles: the foundation knows who someone is, each app decides what they may do
(`<app>/permissions.py`, built on these roles).

Roles:
- the public (anonymous visitors);
- a signed-in member; what members may do with an app's objects (coordinating a pole,
  signing, answering an assessment) is that app's rule;
- the staff of the Labo de l'ESS: an active account with `is_staff` that belongs to the group
  `STAFF_GROUP` (its model permissions, declared by each app in its contribution, run the
  admin). Superusers count as staff too, but the portal never needs one. Staff must have an
  activated second factor (TOTP, see `ptce_portal.middleware.StaffSecondFactorMiddleware`).

Views, services, selectors, dashboards and templates ask predicates instead of reading
`is_staff` themselves.
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
_SECOND_FACTOR_ATTR = "_ptce_needs_second_factor"


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
    """Accounts that must have an activated TOTP authenticator: those that can open the
    admin, and those an app gives a role that decides for others (its contribution's
    `needs_second_factor`, e.g. a regional coordination). Remembered on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    cached = getattr(user, _SECOND_FACTOR_ATTR, None)
    if cached is None:
        from . import contributions

        cached = contributions.needs_second_factor(user)
        setattr(user, _SECOND_FACTOR_ATTR, cached)
    return cached


def has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def can_delete_own_account(user) -> bool:
    """Delete the account (from Mon espace; the admin refuses the same accounts): not a staff
    or superuser account, whose administration actions must stay attributed."""
    return bool(user is not None and not user.is_staff and not user.is_superuser)


# --- Pages -------------------------------------------------------------------------------


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

    wrapper.staff_only = True  # type: ignore[attr-defined]  # read by the middleware
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
        actions = granted.get((meta.app_label, meta.model_name or ""))
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
