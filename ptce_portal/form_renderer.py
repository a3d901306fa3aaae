"""How every form of the portal is drawn (settings.FORM_RENDERER).

One field template: the label with a required marker, the help text and the errors, both tied
to the input by aria-describedby (Django's BoundField does the linking); groups of choices in
a fieldset with a legend. One form template: the error summary first, with a link to each
field in error, then the fields. Pages that lay fields out themselves call
`{{ form.<name>.as_field_group }}` and include "ptce_portal/forms/summary.html".
"""

from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    form_template_name = "ptce_portal/forms/form.html"
    field_template_name = "ptce_portal/forms/field.html"
