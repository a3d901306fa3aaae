"""Demo data of the charter (`seed_ptce --demo`, fictitious): a signature submitted with a
new, unpublished demo pole, waiting in staff's validation queue. Idempotent: found again by
its signer's e-mail."""

from poles.models import Department
from ptce_portal.contributions import DemoContext
from ptce_portal.demo import DEMO_DOMAIN, DEMO_MARK, FICTION_PHONE, demo_user

from . import selectors, services
from .models import Signature

SIGNER_EMAIL = f"signature@{DEMO_DOMAIN}"
NEW_POLE_NAME = f"Pôle coopératif des Coteaux {DEMO_MARK}"
NEW_POLE_DEPARTMENT = "07"


def _submitted_signature() -> None:
    user = demo_user(SIGNER_EMAIL, "Alex", f"Moreau {DEMO_MARK}")
    if Signature.objects.filter(signer=user).exists():
        return
    version = selectors.current_version()
    if version is None:
        return
    department = Department.objects.filter(code=NEW_POLE_DEPARTMENT).first()
    data = services.SignatureData(
        pole_contact=f"Maison des coopérations, Privas {DEMO_MARK}",
        representative_last_name=f"Moreau {DEMO_MARK}",
        representative_first_name="Alex",
        representative_email=SIGNER_EMAIL,
        representative_phone=FICTION_PHONE,
        stage=Signature.Stage.IN_CREATION,
        commitment_build=True,
        commitment_community=True,
        place="Privas",
        signature_name=f"Alex Moreau {DEMO_MARK}",
        consent_publication=True,
    )
    services.signature_submit(
        user=user,
        data=data,
        new_pole_name=NEW_POLE_NAME,
        new_pole_fields={
            "departments": [department] if department else None,
            "message": f"Pôle fictif {DEMO_MARK}, proposé avec la signature de la charte.",
        },
        version=version,
    )


def run(context: DemoContext) -> None:
    _submitted_signature()
    signatures = Signature.objects.filter(
        signer__email__iendswith=f"@{DEMO_DOMAIN}", status=Signature.Status.SUBMITTED
    ).count()
    context.summary.append(f"{signatures} signature(s) de la charte à traiter par l'équipe")
