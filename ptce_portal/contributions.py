"""What each app contributes to the portal: the one registry between the apps and the whole.

The foundation names no domain app, and the composition (`portal`) must not keep lists of
them either. Instead every installed app that has something to add declares it once, in its
own `<app>/contributions.py` (found the way Django finds `admin.py`):

    from ptce_portal.contributions import Contribution, PersonalData, register

    from . import dashboard, personal_data, selectors

    register(
        Contribution(
            app_label="<app>",
            order=50,
            dashboard_panel=dashboard.panel,
            home_figures=selectors.home_figures,
            ...
        )
    )

The composition calls `discover()` once every app is loaded (`portal.apps.PortalConfig`);
after that the mechanisms of the foundation (personal data, mail, the staff group, the audit
trail) and the composition's pages (Mon espace, home, staff dashboard, admin ordering, seed
and demo) read the registry through the functions below, in the apps' `order`. A new app
plugs in by adding its module, its entry in INSTALLED_APPS and its URL include: nothing of
the foundation changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from django.db.models import Model
    from django.http import HttpRequest

    from .backoffice import StaffQueue

MODULE_NAME = "contributions"

# Model permissions: an app label (every model of the app) or (app label, model name), mapped
# to actions ("view", "add", "change", "delete"). A model-specific entry wins.
StaffPermissions = Mapping[str | tuple[str, str], tuple[str, ...]]
ALL_ACTIONS: tuple[str, ...] = ("view", "add", "change", "delete")
# `staff_order` of an app that keeps the admin's own (alphabetical) place, after the others.
LAST = 1_000


@dataclass(frozen=True)
class PersonalData:
    """What an app holds about a person (GDPR), for `ptce_portal.gdpr`.

    `export(user)` returns a JSON-ready dict; `personal_values(user)` the values (e-mails,
    names, phone) to scrub from the logs; `owned_objects(user)` {model: [pk, ...]} of the
    person's own rows, whose log entries are relabelled; `erase(user)` removes or
    anonymises the rest. Exports run in `order`; erasures in reverse order, so the
    foundation's (the account itself) runs last."""

    export: Callable[[Any], dict]
    erase: Callable[[Any], None]
    personal_values: Callable[[Any], set[str]]
    owned_objects: Callable[[Any], Mapping[type[Model], list]]

    @classmethod
    def of(cls, module: ModuleType) -> PersonalData:
        """The four functions of an app's `personal_data` module, by their names."""
        return cls(
            export=module.export,
            erase=module.erase,
            personal_values=module.personal_values,
            owned_objects=module.owned_objects,
        )


@dataclass(frozen=True)
class Audit:
    """How one model is audited (django-auditlog): fields whose values are masked (personal
    details: the log says THAT they changed), excluded (secrets, bookkeeping), or the only
    ones logged; many-to-many fields logged. `names_a_person`: the model's str() names a
    person, so its log entries get a neutral label."""

    mask_fields: tuple[str, ...] = ()
    exclude_fields: tuple[str, ...] = ()
    include_fields: tuple[str, ...] = ()
    m2m_fields: tuple[str, ...] = ()
    names_a_person: bool = False


@dataclass(frozen=True)
class DemoContext:
    """Shared by the demo steps of `seed_ptce --demo`, run in their order: `staff` is the
    demo staff account; each step may leave in `data` what later steps use (e.g. the demo
    coordinator and their pole) and add to `summary` the lines printed at the end, and to
    `accounts` the (who, e-mail, password) a visitor can log in with."""

    staff: Any
    data: dict[str, Any] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Step:
    """A seed or demo step, run in `order` (lowest first) across the apps. A seed step is
    `run(*, stdout)` (real data, idempotent, its own transaction); a demo step is
    `run(context: DemoContext)` (fictitious data, idempotent, in the demo's transaction):
    the app's `seed.run` and `demo.run`, imported by its contributions module (discovery
    happens once the apps are loaded, so they need no lazy wrapper)."""

    run: Callable[..., Any]
    order: int


@dataclass(frozen=True)
class NavEntry:
    """A link of the main navigation: `label` (translated lazily), the name of the URL it
    opens, its place among every app's links (`order`, lowest first)."""

    label: Any
    url_name: str
    order: int


@dataclass(frozen=True)
class Contribution:
    """Everything one app adds to the portal. Only `app_label` and `order` are required.

    - `order`: the app's place wherever apps are listed (Mon espace panels, home figures,
      personal data): the foundation first, then the apps in the order of the layers.
    - `staff_order`: its place on the staff pages (staff queues, the admin's app list);
      defaults to `order`; LAST keeps the admin's own order, after the ranked apps.
    - `dashboard_panel(request) -> dict | None`: its panel of Mon espace (None: nothing).
    - `home_figures() -> dict`: key figures for the home page.
    - `staff_queues() -> list[StaffQueue]`: what waits for a staff decision
      (`ptce_portal.backoffice.build_queue`); each queue says who may see it.
    - `personal_data`: see PersonalData.
    - `seed`, `demo`: see Step.
    - `audited_models`: {"app_label.ModelName": Audit(...)}.
    - `staff_permissions`: what the staff group may do on the app's models.
    - `personal_link_kinds`: prefixes of the e-mail kinds (template names) that carry a
      personal secret link: hidden from staff and blanked once sent (`ptce_portal.mail`).
    - `email_kinds`: {template name: what it is}, the labels of its e-mails in the outbox
      admin.
    - `page_blocks`: {slot: block(request, obj) -> HTML}: what this app shows on another
      app's page, at a slot that page offers (e.g. "<app>.detail", with obj the object
      of that page). A block returns "" when it has nothing to show.
    - `needs_second_factor(user) -> bool`: a role of this app whose accounts must use a
      second factor like staff (e.g. poles' regional coordinations, who approve
      coordinators): `ptce_portal.permissions.needs_second_factor` asks every app.
    - `navigation`: its links in the main navigation (NavEntry), in every page's header.
    - `content_version`: the name of the app's content version (`ptce_portal.versions`)
      that its page blocks are built from: a page cached with a slot is rebuilt when it
      moves (`ptce_portal.page_cache`).
    """

    app_label: str
    order: int
    staff_order: int | None = None
    dashboard_panel: Callable[[HttpRequest], dict | None] | None = None
    home_figures: Callable[[], dict] | None = None
    staff_queues: Callable[[], list[StaffQueue]] | None = None
    personal_data: PersonalData | None = None
    seed: Step | None = None
    demo: Step | None = None
    audited_models: Mapping[str, Audit] = field(default_factory=dict)
    staff_permissions: StaffPermissions = field(default_factory=dict)
    personal_link_kinds: tuple[str, ...] = ()
    email_kinds: Mapping[str, Any] = field(default_factory=dict)
    page_blocks: Mapping[str, Callable[[HttpRequest, Any], str]] = field(default_factory=dict)
    needs_second_factor: Callable[[Any], bool] | None = None
    content_version: str | None = None
    navigation: tuple[NavEntry, ...] = ()

    @property
    def staff_rank(self) -> int:
        return self.order if self.staff_order is None else self.staff_order


class NotDiscovered(RuntimeError):
    """The registry was read before the composition discovered the apps' modules."""


_registry: dict[str, Contribution] = {}
_discovered = False
_on_discovered: list[Callable[[], None]] = []
_lock = threading.Lock()


def register(contribution: Contribution) -> Contribution:
    """Declare an app's contribution (from its `contributions.py`); once per app."""
    existing = _registry.get(contribution.app_label)
    if existing is not None and existing != contribution:
        raise ValueError(f"{contribution.app_label} contributes twice")
    _registry[contribution.app_label] = contribution
    return contribution


def discover() -> None:
    """Import every installed app's `contributions` module (idempotent), then run what
    waited for them (`on_discovered`). Called by the composition's AppConfig.ready."""
    global _discovered
    with _lock:
        if _discovered:
            return
        _register_foundation()
        autodiscover_modules(MODULE_NAME)
        _discovered = True
        callbacks = list(_on_discovered)
    for callback in callbacks:
        callback()


def on_discovered(callback: Callable[[], None]) -> None:
    """Run `callback` once the contributions are known (at once if they already are): for a
    foundation app whose set-up needs them in its own AppConfig.ready (the audit trail)."""
    with _lock:
        if not _discovered:
            _on_discovered.append(callback)
            return
    callback()


def contributions() -> list[Contribution]:
    """Every contribution, in `order` (then app label)."""
    if not _discovered:
        raise NotDiscovered(
            "ptce_portal.contributions read before discover(): is `portal` installed?"
        )
    return sorted(_registry.values(), key=lambda c: (c.order, c.app_label))


def get(app_label: str) -> Contribution | None:
    return next((c for c in contributions() if c.app_label == app_label), None)


def staff_ordered() -> list[Contribution]:
    """Every contribution in the order of the staff pages (`staff_order`)."""
    return sorted(contributions(), key=lambda c: (c.staff_rank, c.app_label))


def personal_data() -> list[tuple[str, PersonalData]]:
    """(app label, PersonalData) in export order; erase in reverse."""
    return [(c.app_label, c.personal_data) for c in contributions() if c.personal_data]


def personal_link_kinds() -> tuple[str, ...]:
    return tuple(kind for c in contributions() for kind in c.personal_link_kinds)


def needs_second_factor(user: Any) -> bool:
    """Whether one of the apps gives `user` a role that needs a second factor."""
    return any(
        c.needs_second_factor(user) for c in contributions() if c.needs_second_factor is not None
    )


def staff_permissions() -> dict[str | tuple[str, str], tuple[str, ...]]:
    merged: dict[str | tuple[str, str], tuple[str, ...]] = {}
    for contribution in contributions():
        merged.update(contribution.staff_permissions)
    return merged


def audited_models() -> dict[str, Audit]:
    merged: dict[str, Audit] = {}
    for contribution in contributions():
        merged.update(contribution.audited_models)
    return merged


def email_kinds() -> dict[str, Any]:
    """{template name: label} of every app's e-mails (lazy translated labels)."""
    merged: dict[str, Any] = {}
    for contribution in contributions():
        merged.update(contribution.email_kinds)
    return merged


def page_blocks(slot: str, request: HttpRequest, obj: Any) -> list[str]:
    """The non-empty HTML blocks the apps contribute to `slot`, in the apps' order."""
    blocks = (c.page_blocks[slot] for c in contributions() if slot in c.page_blocks)
    return [html for html in (block(request, obj) for block in blocks) if html]


def slot_versions(slot: str) -> tuple[str, ...]:
    """The content versions of the apps that contribute blocks to `slot`."""
    return tuple(
        c.content_version for c in contributions() if slot in c.page_blocks and c.content_version
    )


def navigation() -> list[NavEntry]:
    """Every app's links of the main navigation, in their order."""
    return sorted(
        (entry for c in contributions() for entry in c.navigation),
        key=lambda entry: (entry.order, entry.url_name),
    )


def steps(kind: str) -> list[tuple[str, Step]]:
    """(app label, step) of every `seed` or `demo` step, in the steps' order."""
    found = [(c.app_label, getattr(c, kind)) for c in contributions() if getattr(c, kind)]
    return sorted(found, key=lambda item: (item[1].order, item[0]))


# --- The foundation's own contribution ----------------------------------------------------
# (This module is also what discovery finds in ptce_portal; the callables import lazily, as
# the mail and personal-data modules themselves read this registry.)


def _foundation_personal_data() -> PersonalData:
    from . import personal_data

    return PersonalData.of(personal_data)


def _failed_email_queue() -> list[StaffQueue]:
    from .selectors import failed_email_queue

    return [failed_email_queue()]


def _register_foundation() -> None:
    register(
        Contribution(
            app_label="ptce_portal",
            order=0,  # first in the personal-data export, so its erasure (the account) runs last
            staff_order=100,  # after the domains' queues and apps
            staff_queues=_failed_email_queue,
            personal_data=_foundation_personal_data(),
            # Accounts: staff see people, never edit them (the user admin could grant
            # superuser); other models of the foundation (the mail outbox): staff read them
            # and resend from there. Logs: read only.
            staff_permissions={
                "ptce_portal": ("view", "change"),
                ("ptce_portal", "user"): ("view",),
                ("account", "emailaddress"): ("view",),
                ("admin", "logentry"): ("view",),
                ("auditlog", "logentry"): ("view",),
            },
            # Password reset and address confirmation (allauth's e-mails).
            personal_link_kinds=("account/email/",),
            # Accounts: only who may do what, never the person's details; last_login is not
            # logged.
            audited_models={
                "ptce_portal.User": Audit(
                    include_fields=("is_active", "is_staff", "is_superuser"),
                    m2m_fields=("groups",),
                    names_a_person=True,
                ),
            },
        )
    )
