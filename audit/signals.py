from auditlog.models import LogEntry
from django.conf import settings
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django.utils.text import capfirst

from .registration import personal_repr_models


@receiver(pre_save, sender=LogEntry, dispatch_uid="audit_neutral_object_repr")
def neutral_object_repr(sender, instance, **kwargs):
    """An entry about a registration, invitation or coordination request is labelled
    "<kind> n°<id>", not with the person's name or e-mail (str() of those models)."""
    if instance.pk is not None or not instance.content_type_id:
        return
    content_type = instance.content_type
    if f"{content_type.app_label}.{content_type.model}" not in personal_repr_models():
        return
    model = content_type.model_class()
    if model is not None:
        instance.object_repr = f"{capfirst(model._meta.verbose_name)} n°{instance.object_pk}"


def deleted_account_label(pk) -> str:
    return f"compte supprimé n°{pk}"


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="audit_forget_actor_email")
def forget_actor_email(sender, instance, **kwargs):
    """Deleting an account (from Mon espace, the admin or the shell) keeps the entries (actor
    becomes NULL by the foreign key's SET_NULL) but replaces the copy of the person's e-mail
    that auditlog keeps by a pseudonym, "compte supprimé n°<id>", and forgets their network
    address: the person is gone from the log, yet every change they made (a former staff
    member's decisions included) stays attributed to one same author, not to "nobody".
    The one place that forgets the actor: ptce_portal.personal_data scrubs only the entries
    about the person's own objects."""
    LogEntry.objects.filter(actor_id=instance.pk).update(
        actor_email=deleted_account_label(instance.pk), remote_addr=None
    )
