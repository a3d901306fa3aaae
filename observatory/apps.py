from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The version of what the public sees of the observatory (accepted reports and their
# campaigns): anything cached from it is rebuilt after a change (ptce_portal.versions).
CONTENT_VERSION = "observatory"


class ObservatoryConfig(AppConfig):
    name = "observatory"
    verbose_name = _("Observatoire")

    def ready(self):
        from ptce_portal import versions

        from .models import Band, Campaign, Question, QuestionnaireVersion, Report

        versions.watch(CONTENT_VERSION, QuestionnaireVersion, Question, Band, Campaign)
        # A report concerns the public pages only while it is accepted (or as it stops being):
        # a draft's autosaves must not rebuild every cached page of the observatory.
        versions.watch(CONTENT_VERSION, Report, concerns=lambda report: report.is_public)
