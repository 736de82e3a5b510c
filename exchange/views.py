"""Glue between HTTP and the exchange's services: permission → form → service → response."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from directory import selectors as directory_selectors
from pestor import roles
from pestor.exports import DATE, NUMBER, Column
from pestor.forms import apply_validation_error
from pestor.pagination import CappedPaginationMixin
from pestor.permissions import has_permission, require
from pestor.photo_views import PhotoAddView, PhotoRemoveView
from pestor.views import ListExportView, SuggestionsView

from . import selectors, services
from .forms import InquiryForm, OfferForm, OfferPhotoForm, ReplyForm
from .permissions import is_member
from .widgets import CpvAutocomplete


class FilteredListMixin:
    """A ListView whose queryset comes from a selector's FilterSet (``self.filterset``)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, query_without_page=query.urlencode())
        return context


# --- public catalogue --------------------------------------------------------------------------


class OfferListView(CappedPaginationMixin, FilteredListMixin, ListView):
    template_name = "exchange/offer_list.html"
    paginate_by = 20
    search_param = "q"  # a word search pages through pestor.pagination.SEARCH_RESULT_CAP
    context_object_name = "offers"

    def get_queryset(self):
        self.filterset = selectors.offer_list(filters=self.request.GET)
        return self.filterset.qs

    def get_page_rows(self, keys):
        return selectors.offer_cards(keys)

    def paginate_queryset(self, queryset, page_size):
        keys = selectors.offer_page_keys(self.filterset)
        if keys is not None:
            queryset, self.page_key = keys, "offer_id"
        return super().paginate_queryset(queryset, page_size)


OFFER_COLUMNS = (
    Column(gettext_lazy("Offer"), lambda o: o.title),
    Column(gettext_lazy("Organisation"), lambda o: o.organisation.name),
    Column(gettext_lazy("Seat municipality"), lambda o: o.organisation.seat_municipality.name),
    Column(gettext_lazy("Kind"), lambda o: o.get_kind_display()),
    Column(gettext_lazy("Category (CPV)"), lambda o: str(o.cpv)),
    Column(gettext_lazy("Price"), lambda o: o.get_price_type_display()),
    Column(gettext_lazy("Price net (PLN)"), lambda o: o.price, NUMBER),
    Column(gettext_lazy("Unit"), lambda o: o.unit),
    Column(gettext_lazy("Lead time (days)"), lambda o: o.lead_time_days, NUMBER),
    Column(gettext_lazy("Added"), lambda o: o.created_at, DATE),
)


class OfferExportView(ListExportView):
    """The public catalogue with its filters, as a file."""

    columns = OFFER_COLUMNS
    filename = "oferty"
    title = gettext_lazy("Offers of PES")

    def get_rows(self):
        return selectors.offer_export_rows(filters=self.request.GET)


class OfferDetailView(TemplateView):
    template_name = "exchange/offer_detail.html"

    def get_context_data(self, **kwargs):
        offer = selectors.offer_get_for_user(user=self.request.user, pk=self.kwargs["pk"])
        user = self.request.user
        may_ask = has_permission("exchange.send_inquiry", user, offer)
        return super().get_context_data(
            offer=offer,
            organisation=offer.organisation,
            photos=list(offer.photos.all()),
            served=list(offer.municipalities_served.all())
            or list(offer.organisation.municipalities_served.all()),
            may_ask=may_ask,
            inquiry_form=InquiryForm(user=user) if may_ask else None,
            is_own_offer=is_member(user, offer.organisation_id),
            **kwargs,
        )


# --- an organisation's offers ------------------------------------------------------------------


class OrganisationOffersMixin(LoginRequiredMixin):
    """Fetches the organisation in the URL through the directory's user-scoped selector and
    checks that the user manages its offers."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.organisation = directory_selectors.organisation_get_for_user(
            user=request.user, slug=kwargs["slug"]
        )
        require("exchange.manage_offers", request.user, self.organisation)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, **kwargs)


class OrganisationOfferListView(
    OrganisationOffersMixin, CappedPaginationMixin, FilteredListMixin, ListView
):
    """ "My offers" of one organisation."""

    estimate_count = False  # one party's rows (pestor.pagination)
    template_name = "exchange/organisation_offers.html"
    paginate_by = 20
    context_object_name = "offers"

    def get_queryset(self):
        self.filterset = selectors.organisation_offer_list(
            organisation=self.organisation, filters=self.request.GET
        )
        return self.filterset.qs


class OfferCreateView(OrganisationOffersMixin, FormView):
    template_name = "exchange/offer_form.html"
    form_class = OfferForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def form_valid(self, form):
        try:
            offer = services.offer_create(
                organisation=self.organisation, actor=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The offer has been saved. You can add photos of it now."))
        return redirect("exchange:offer-photos", pk=offer.pk)


class OfferObjectMixin(LoginRequiredMixin):
    """Fetches the offer in the URL through the user-scoped selector and checks
    ``permission`` on it; a missing and an invisible offer are the same 404."""

    permission: str

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.offer = selectors.offer_get_for_user(user=request.user, pk=kwargs["pk"])
        require(self.permission, request.user, self.offer)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            offer=self.offer, organisation=self.offer.organisation, **kwargs
        )


class OfferEditView(OfferObjectMixin, FormView):
    permission = "exchange.edit_offer"
    template_name = "exchange/offer_form.html"
    form_class = OfferForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.offer,
            "organisation": self.offer.organisation,
        }

    def form_valid(self, form):
        try:
            offer = services.offer_update(
                offer=self.offer, actor=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes have been saved."))
        return redirect(offer)


class OfferArchiveView(OfferObjectMixin, View):
    permission = "exchange.archive_offer"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.offer_archive(offer=self.offer, actor=request.user)
        messages.success(
            request,
            _("“%(title)s” has been archived and is no longer in the catalogue.")
            % {"title": self.offer.title},
        )
        return redirect("exchange:organisation-offers", slug=self.offer.organisation.slug)


class OfferReactivateView(OfferObjectMixin, View):
    permission = "exchange.reactivate_offer"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            services.offer_reactivate(offer=self.offer, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("“%(title)s” is active again.") % {"title": self.offer.title}
            )
        return redirect("exchange:organisation-offers", slug=self.offer.organisation.slug)


class OfferDeleteView(OfferObjectMixin, TemplateView):
    """Asks before deleting; says whether inquiries keep the offer (hidden) on record."""

    permission = "exchange.delete_offer"
    template_name = "exchange/offer_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(has_inquiries=self.offer.inquiries.exists(), **kwargs)

    def post(self, request, *args, **kwargs):
        services.offer_delete(offer=self.offer, actor=request.user)
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": self.offer.title})
        return redirect("exchange:organisation-offers", slug=self.offer.organisation.slug)


class OfferPhotoMixin(OfferObjectMixin):
    permission = "exchange.edit_offer"

    def get_photos(self):
        return selectors.offer_photos(offer=self.offer)

    def get_success_url(self):
        return reverse("exchange:offer-photos", kwargs={"pk": self.offer.pk})


class OfferPhotosView(OfferPhotoMixin, PhotoAddView):
    """The offer's photos, and a form to add one."""

    template_name = "exchange/offer_photos.html"
    form_class = OfferPhotoForm

    def get_context_data(self, **kwargs):
        photos = list(self.get_photos())
        return super().get_context_data(
            photos=photos, may_add=len(photos) < services.MAX_PHOTOS, **kwargs
        )

    def add_photo(self, *, image, alt_text):
        services.offer_photo_add(
            offer=self.offer, actor=self.request.user, image=image, alt_text=alt_text
        )


class OfferPhotoRemoveView(OfferPhotoMixin, PhotoRemoveView):
    def remove_photo(self, photo):
        services.offer_photo_remove(photo=photo, actor=self.request.user)


# --- inquiries ---------------------------------------------------------------------------------


class InquiryCreateView(OfferObjectMixin, FormView):
    permission = "exchange.send_inquiry"
    template_name = "exchange/inquiry_form.html"
    form_class = InquiryForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            inquiry = services.inquiry_send(
                offer=self.offer, buyer=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your inquiry has been sent to %(organisation)s. We will e-mail you their reply.")
            % {"organisation": self.offer.organisation.display_name},
        )
        return redirect(inquiry)


class InboxView(LoginRequiredMixin, CappedPaginationMixin, FilteredListMixin, ListView):
    estimate_count = False  # one party's rows (pestor.pagination)
    template_name = "exchange/inbox.html"
    paginate_by = 25
    context_object_name = "inquiries"

    def get_queryset(self):
        self.filterset = selectors.inquiry_list(user=self.request.user, filters=self.request.GET)
        return self.filterset.qs


class InquiryDetailView(LoginRequiredMixin, FormView):
    """The conversation, and a reply form while it is open. Opening it marks it read."""

    template_name = "exchange/inquiry_detail.html"
    form_class = ReplyForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.inquiry = selectors.inquiry_get_for_user(user=request.user, pk=kwargs["pk"])
        require("exchange.view_inquiry", request.user, self.inquiry)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        services.inquiry_mark_read(inquiry=self.inquiry, user=request.user)
        if self.inquiry.is_unread:
            # The navigation's badge (rendered after this) counts it read.
            roles.forget_holdings(request.user)
        return response

    def post(self, request, *args, **kwargs):
        require("exchange.reply_inquiry", request.user, self.inquiry)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        inquiry = self.inquiry
        conversation = list(selectors.inquiry_messages(inquiry=inquiry))
        # What the other side wrote since the user last looked (before this visit marks it read).
        read_at = inquiry.buyer_read_at if inquiry.is_buyer_side else inquiry.organisation_read_at
        for message in conversation:
            message.is_new = message.from_buyer != inquiry.is_buyer_side and (
                read_at is None or message.created_at > read_at
            )
        return super().get_context_data(
            inquiry=inquiry, offer=inquiry.offer, conversation=conversation, **kwargs
        )

    def form_valid(self, form):
        try:
            services.inquiry_reply(
                inquiry=self.inquiry, author=self.request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your message has been sent."))
        return redirect(self.inquiry)


class InquiryCloseView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        inquiry = selectors.inquiry_get_for_user(user=request.user, pk=kwargs["pk"])
        require("exchange.close_inquiry", request.user, inquiry)
        services.inquiry_close(inquiry=inquiry, actor=request.user)
        messages.success(request, _("The conversation has been closed."))
        return redirect(inquiry)


class CpvSuggestionsView(SuggestionsView):
    """The CPV autocomplete's source (exchange.widgets): codes matching the code or the Polish
    name typed, curated categories first, each with the names of the codes above it."""

    widget = CpvAutocomplete

    def suggestions(self, query, limit):
        return selectors.cpv_suggestions(query=query, limit=limit)
