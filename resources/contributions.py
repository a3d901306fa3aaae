"""What the resource centre adds to the portal (ptce_portal.contributions)."""

from django.utils.translation import gettext_lazy as _

from ptce_portal.contributions import (
    ALL_ACTIONS,
    Audit,
    Contribution,
    NavEntry,
    PersonalData,
    Step,
    register,
)

from . import dashboard, demo, home, peers_blocks, personal_data, selectors
from .apps import CONTENT_VERSION

register(
    Contribution(
        app_label="resources",
        order=50,
        navigation=(NavEntry(_("Ressources"), "resources:list", order=70),),
        dashboard_panel=dashboard.panel,
        staff_queues=selectors.staff_queues,
        personal_data=PersonalData.of(personal_data),
        demo=Step(demo.run, order=50),
        page_blocks={
            "portal.home": home.block,
            # The results page of a closed self-assessment: resources and poles that offered
            # help on the pole's weakest objectives (its coordinators only).
            "referential.results": peers_blocks.peers_on_weak_objectives,
        },
        content_version=CONTENT_VERSION,
        # Peers: staff read the help offers and the requests (messages included, for
        # moderation) and close an abusive request (change, through the service); nothing else.
        staff_permissions={
            "resources": ALL_ACTIONS,
            ("resources", "helpoffer"): ("view",),
            ("resources", "exchangerequest"): ("view", "change"),
        },
        email_kinds={
            "resources/email/staff_submitted.txt": _("Ressource à publier (équipe)"),
            "resources/email/published.txt": _("Ressource publiée"),
            "resources/email/refused.txt": _("Ressource non publiée"),
            "resources/email/exchange_request.txt": _("Demande d'échange entre pôles"),
            "resources/email/exchange_accepted.txt": _(
                "Échange accepté (au pôle demandeur, avec l'adresse du pôle sollicité)"
            ),
            "resources/email/exchange_accepted_helper.txt": _(
                "Échange accepté (au pôle sollicité, avec l'adresse du pôle demandeur)"
            ),
            "resources/email/exchange_declined.txt": _("Demande d'échange déclinée"),
            "resources/email/exchange_withdrawn.txt": _(
                "Demande d'échange retirée (au pôle sollicité)"
            ),
            "resources/email/exchange_answered_colleagues.txt": _(
                "Réponse à une demande d'échange (aux autres coordinateurs du pôle sollicité)"
            ),
        },
        audited_models={
            "resources.Resource": Audit(
                exclude_fields=("search_vector", "created_at", "updated_at"),
                m2m_fields=("themes", "objectives", "poles"),
            ),
            "resources.Attachment": Audit(exclude_fields=("created_at",)),
            # Peers: which pole offers help where; who asked whom, and the answer. The
            # message is masked (free text of a person; the log says that it changed).
            "resources.HelpOffer": Audit(exclude_fields=("created_at", "updated_at")),
            "resources.ExchangeRequest": Audit(mask_fields=("message",)),
        },
    )
)
