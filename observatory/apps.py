from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The version of what the public sees of the observatory (accepted reports and their
# campaigns): anything cached from it is rebuilt after a change (ptce_portal.versions).
CONTENT_VERSION = "observatory"


class ObservatoryConfig(AppConfig):
    name = "observatory"
    verbose_name = _("Observatoire")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from ptce_portal import versions

        from .models import Band, Campaign, Question, QuestionnaireVersion, Report

        versions.watch(CONTENT_VERSION, QuestionnaireVersion, Question, Band, Campaign)

        # A report concerns the public pages only while it is accepted (or as it stops being):
        # a draft's autosaves must not rebuild every cached page of the observatory.
        def report_changed(sender, instance, **kwargs):
            if not kwargs.get("action", "post_").startswith("post_"):
                return
            if not isinstance(instance, Report) or instance.is_public:
                versions.bump(CONTENT_VERSION)

        uid = "content-version:observatory:report"
        post_save.connect(report_changed, sender=Report, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(report_changed, sender=Report, weak=False, dispatch_uid=uid + ":del")
        m2m_changed.connect(
            report_changed, sender=Report.themes.through, weak=False, dispatch_uid=uid + ":themes"
        )
