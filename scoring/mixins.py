"""For the apps whose committee scores through this app: the view that sets a panel's criteria.

``PanelCriteriaFormMixin`` goes on a consumer's ``FormView`` whose form cleans ``criteria``
(premises' committee of a call, the award's jury). The consumer's own service forms the panel
(``create_panel``); a refusal shows on the form with what was typed, and once formed the person
goes on to this app's page of the panel's members."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from pestor.forms import apply_validation_error


class PanelCriteriaFormMixin:
    created_message = ""  # what the person is told once the panel is formed (lazy gettext)

    def create_panel(self, criteria):
        """Forms the panel through the owner's service and returns it (ValidationError: no)."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            panel = self.create_panel(form.cleaned_data["criteria"])
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.created_message)
        return redirect("scoring:panel-members", panel.pk)
