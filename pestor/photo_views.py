"""Shared views of an object's photos (an offer's, a bank resource's): a page that lists them
with a form to add one, and a POST that removes one. An app's view says whose photos they are
and which of its services adds and removes them; the object in the URL is fetched and its
permission checked by the app's own mixin before these run."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from .forms import apply_validation_error


class PhotoViewMixin:
    """What both views need to know: the object's photos and its photo page."""

    def get_photos(self) -> QuerySet:
        raise NotImplementedError

    def get_success_url(self) -> str:
        raise NotImplementedError


class PhotoAddView(PhotoViewMixin, FormView):
    """The object's photos and a form (``image``, ``alt_text``) to add one."""

    def add_photo(self, *, image, alt_text: str) -> None:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.add_photo(image=form.cleaned_data["image"], alt_text=form.cleaned_data["alt_text"])
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The photo has been added."))
        return redirect(self.get_success_url())


class PhotoRemoveView(PhotoViewMixin, View):
    """Removes one of the object's photos; a photo of another object is not found."""

    http_method_names = ["post"]

    def remove_photo(self, photo) -> None:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        photo = get_object_or_404(self.get_photos(), pk=kwargs["photo_pk"])
        self.remove_photo(photo)
        messages.success(request, _("The photo has been removed."))
        return redirect(self.get_success_url())
