"""Glue between HTTP and the bank's services: permission → form → service → response."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from directory import selectors as directory_selectors
from pestor.exports import DATE, NUMBER, Column
from pestor.pagination import CappedPaginationMixin
from pestor.permissions import has_permission, require
from pestor.photo_views import PhotoAddView, PhotoRemoveView
from pestor.views import ListExportView

from . import availability, feeds, selectors, services
from .filters import FIRST_YEAR, LAST_YEAR
from .forms import (
    AttachmentForm,
    BookingForm,
    ConditionForm,
    DamageClearForm,
    DecisionForm,
    HandOverForm,
    KitBookingForm,
    PhotoForm,
    SeriesForm,
    apply_service_error,
)
from .models import Booking
from .pdf import protocol_pdf


class FilteredListMixin(CappedPaginationMixin):
    """A ListView whose queryset comes from a selector's FilterSet (``self.filterset``)."""

    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.filterset, query_without_page=query.urlencode())
        return context


def _month(value: str | None) -> date:
    """The first day of the month in ``?month=2026-07``; this month for anything else."""
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


def _day(value: str | None) -> date | None:
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


# --- the public catalogue ----------------------------------------------------------------------


class ResourceListView(FilteredListMixin, ListView):
    template_name = "equipment_bank/resource_list.html"
    context_object_name = "resources"

    def get_queryset(self):
        self.filterset = selectors.resource_list(filters=self.request.GET)
        queryset = self.filterset.qs
        # "Free from … to …" checks every unit whatever the page: counted with the first page.
        self.count_with_first_page = self.filterset.asks_availability
        return queryset

    def get_page_rows(self, keys):
        return selectors.resource_cards(keys)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            kits=list(selectors.kit_list()[:12]),
            managed_owners=list(selectors.owners_managed(user=user)),
            may_export=has_permission("equipment_bank.export_bookings", user),
            **kwargs,
        )


class ResourceDetailView(TemplateView):
    """The resource, its rules and its month calendar (a room's day hour by hour), rendered on
    the server: free, booked or tentatively booked, never who."""

    template_name = "equipment_bank/resource_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        resource = selectors.resource_get_for_user(user=user, pk=self.kwargs["pk"])
        month = _month(self.request.GET.get("month"))
        day = _day(self.request.GET.get("day")) if resource.is_room else None
        units = selectors.resource_units(resource=resource)
        previous_month = (month - timedelta(days=1)).replace(day=1)
        next_month = (month + timedelta(days=32)).replace(day=1)
        return super().get_context_data(
            resource=resource,
            owner=resource.owner,
            photos=list(resource.photos.all()),
            attachments=list(resource.attachments.all()),
            units=units,
            month=month,
            weeks=availability.month_calendar(resource, year=month.year, month=month.month),
            previous_month=previous_month,
            next_month=next_month,
            day=day,
            day_slots=availability.day_slots(resource, day=day) if day else [],
            kits=list(selectors.kits_with_resource(resource=resource)),
            may_book=has_permission("equipment_bank.book", user, resource),
            may_manage=has_permission("equipment_bank.manage_resource", user, resource),
            **kwargs,
        )


class ResourceFeedView(View):
    """The resource's busy times as iCalendar, for anyone (no names)."""

    def get(self, request, pk):
        resource = selectors.resource_get_for_user(user=request.user, pk=pk)
        now = timezone.now()
        busy = selectors.public_busy_times(
            resource=resource, start=now - timedelta(days=30), end=now + timedelta(days=365)
        )
        response = HttpResponse(
            feeds.resource_busy_feed(resource, busy), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="zasob-{resource.pk}.ics"'
        return response


class ResourceAttachmentView(View):
    def get(self, request, pk, attachment_pk):
        resource = selectors.resource_get_for_user(user=request.user, pk=pk)
        attachment = get_object_or_404(resource.attachments.all(), pk=attachment_pk)
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=f"zalacznik-{attachment.pk}.pdf",
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class KitDetailView(TemplateView):
    template_name = "equipment_bank/kit_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.kit = selectors.kit_get(pk=kwargs["pk"])
        self.parts = list(self.kit.items.all())
        self.first = self.parts[0].resource if self.parts else None
        return super().dispatch(request, *args, **kwargs)

    def _may_book(self):
        user = self.request.user
        return bool(self.parts) and all(
            has_permission("equipment_bank.book", user, part.resource) for part in self.parts
        )

    def get_context_data(self, form=None, **kwargs):
        may_book = self._may_book()
        if form is None and may_book:
            form = KitBookingForm(user=self.request.user, resource=self.first)
        return super().get_context_data(
            kit=self.kit, parts=self.parts, may_book=may_book, form=form, **kwargs
        )

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not self._may_book():
            raise Http404
        form = KitBookingForm(request.POST, user=request.user, resource=self.first)
        if form.is_valid():
            start, end = services.period_of(
                self.first, start_date=form.cleaned_data["start"], end_date=form.cleaned_data["end"]
            )
            try:
                booking = services.kit_request(
                    user=request.user,
                    kit=self.kit,
                    borrower=form.borrower(),
                    start=start,
                    end=end,
                    purpose=form.cleaned_data["purpose"],
                    public_task=form.cleaned_data["public_task"],
                    accepted_rules=form.cleaned_data["accepted_rules"],
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Your request has been sent to the owner."))
                return redirect(booking)
        return self.render_to_response(self.get_context_data(form=form))


# --- booking -----------------------------------------------------------------------------------


class ResourceObjectMixin(LoginRequiredMixin):
    """The resource in the URL through the user-scoped selector, with ``permission`` on it."""

    permission: str

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.resource = selectors.resource_get_for_user(user=request.user, pk=kwargs["pk"])
        require(self.permission, request.user, self.resource)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(resource=self.resource, owner=self.resource.owner, **kwargs)


class BookingCreateView(ResourceObjectMixin, FormView):
    permission = "equipment_bank.book"
    template_name = "equipment_bank/booking_form.html"
    form_class = BookingForm

    def get_form_kwargs(self):
        units = len(selectors.resource_units(resource=self.resource))
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "resource": self.resource,
            "units": units,
        }

    def get_initial(self):
        initial = {}
        for name in ("start", "end"):
            day = _day(self.request.GET.get(name))
            if day:
                initial[name] = day
        return initial

    def form_valid(self, form):
        start, end = form.period()
        try:
            booking = services.booking_request(
                user=self.request.user,
                resource=self.resource,
                borrower=form.borrower(),
                start=start,
                end=end,
                quantity=form.cleaned_data.get("quantity") or 1,
                purpose=form.cleaned_data["purpose"],
                public_task=form.cleaned_data["public_task"],
                accepted_rules=form.cleaned_data["accepted_rules"],
            )
        except ValidationError as error:
            apply_service_error(form, error, form.aliases)
            return self.form_invalid(form)
        if booking.status == Booking.Status.APPROVED:
            messages.success(self.request, _("Booked. The owner's rules approve it at once."))
        else:
            messages.success(
                self.request,
                _(
                    "Your request has been sent. The owner decides within 48 hours; until then "
                    "the time is held for you."
                ),
            )
        return redirect(booking)


class SeriesCreateView(ResourceObjectMixin, FormView):
    """A room every week or every second week: the first submit lists the occurrences and
    every conflict; nothing is saved until the borrower confirms a list without conflicts."""

    permission = "equipment_bank.book"
    template_name = "equipment_bank/series_form.html"
    form_class = SeriesForm

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        return response

    def get(self, request, *args, **kwargs):
        if not self.resource.is_room:
            raise Http404
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.resource.is_room:
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "resource": self.resource}

    def form_valid(self, form):
        data = form.cleaned_data
        arguments = {
            "resource": self.resource,
            "first": data["start"],
            "start_time": data["start_time"],
            "end_time": data["end_time"],
            "frequency": data["frequency"],
            "occurrences": data["occurrences"],
        }
        try:
            occurrences = services.series_check(**arguments)
        except ValidationError as error:
            apply_service_error(form, error)
            return self.form_invalid(form)
        conflicts = [occurrence for occurrence in occurrences if occurrence.problem]
        if conflicts or not data.get("confirm"):
            form.data = form.data.copy()
            form.data["confirm"] = "" if conflicts else "on"
            return self.render_to_response(
                self.get_context_data(form=form, occurrences=occurrences, conflicts=conflicts)
            )
        try:
            series = services.series_request(
                user=self.request.user,
                borrower=form.borrower(),
                purpose=data["purpose"],
                public_task=data["public_task"],
                accepted_rules=data["accepted_rules"],
                **arguments,
            )
        except ValidationError as error:
            apply_service_error(form, error, {"end": "end_time"})
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(count)s bookings have been requested.") % {"count": series.occurrences},
        )
        return redirect("equipment_bank:my-bookings")


class MyBookingsView(LoginRequiredMixin, FilteredListMixin, ListView):
    """The borrower's bookings: theirs and those of their organisations and departments."""

    estimate_count = False  # one party's rows (pestor.pagination)
    count_with_first_page = True  # all of them are read to be counted anyway
    template_name = "equipment_bank/my_bookings.html"
    context_object_name = "bookings"

    def get_queryset(self):
        self.filterset = selectors.my_bookings(user=self.request.user, filters=self.request.GET)
        return self.filterset.qs

    def get_page_rows(self, keys):
        return selectors.booking_rows(keys)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisations=selectors.borrower_organisations(user=self.request.user),
            **kwargs,
        )


class BookingObjectMixin(LoginRequiredMixin):
    """The booking in the URL, for its borrower side and the owner's managers (404 to anyone
    else), with ``permission`` on it."""

    permission = "equipment_bank.view_booking"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.booking = selectors.booking_get_for_user(user=request.user, pk=kwargs["pk"])
        require(self.permission, request.user, self.booking)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(booking=self.booking, **kwargs)


class BookingDetailView(BookingObjectMixin, TemplateView):
    template_name = "equipment_bank/booking_detail.html"

    def get_context_data(self, **kwargs):
        booking = self.booking
        return super().get_context_data(
            items=selectors.booking_items(booking=booking),
            cases=list(selectors.damage_cases_of_booking(booking=booking)),
            decision_form=DecisionForm(),
            **kwargs,
        )


class BookingActionView(BookingObjectMixin, View):
    """A POST that changes the booking's state through one service."""

    http_method_names = ["post"]
    success_message = ""

    def act(self, request):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            self.act(request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.success_message)
        return redirect(self.booking)


class BookingCancelView(BookingActionView):
    permission = "equipment_bank.cancel_booking"
    success_message = gettext_lazy("The booking has been cancelled; the time is free again.")

    def act(self, request):
        services.booking_cancel(booking=self.booking, actor=request.user)


class BookingNoShowView(BookingActionView):
    permission = "equipment_bank.mark_no_show"
    success_message = gettext_lazy("Recorded as not collected; the time is free again.")

    def act(self, request):
        services.booking_mark_no_show(booking=self.booking, actor=request.user)


class BookingCloseView(BookingActionView):
    permission = "equipment_bank.close_booking"
    success_message = gettext_lazy("The booking is closed.")

    def act(self, request):
        services.booking_close(booking=self.booking, actor=request.user)


class BookingDecideView(BookingObjectMixin, FormView):
    """Approve or reject a request; a rejection needs a reason (shown with the form again)."""

    permission = "equipment_bank.decide_booking"
    template_name = "equipment_bank/booking_decide.html"
    form_class = DecisionForm
    http_method_names = ["get", "post"]

    def form_valid(self, form):
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == "approve":
                services.booking_approve(booking=self.booking, actor=self.request.user, note=note)
                messages.success(self.request, _("The booking has been approved."))
            else:
                services.booking_reject(booking=self.booking, actor=self.request.user, note=note)
                messages.success(self.request, _("The request has been rejected."))
        except ValidationError as error:
            apply_service_error(form, error)
            return self.form_invalid(form)
        return redirect(self.booking)


class ConditionFormsMixin:
    """The hand-over and return pages: the representative's name and one condition form per
    booked unit."""

    stage_permission: str
    template_name = "equipment_bank/booking_condition.html"

    def dispatch(self, request, *args, **kwargs):
        self.permission = self.stage_permission
        return super().dispatch(request, *args, **kwargs)

    def forms(self, data=None, files=None):
        items = selectors.booking_items(booking=self.booking)
        return HandOverForm(data, label_suffix=""), [
            ConditionForm(data, files, item=item) for item in items
        ]

    def get(self, request, *args, **kwargs):
        person_form, unit_forms = self.forms()
        return self.render(person_form, unit_forms)

    def render(self, person_form, unit_forms):
        from django.shortcuts import render

        return render(
            self.request,
            self.template_name,
            {
                "booking": self.booking,
                "person_form": person_form,
                "unit_forms": unit_forms,
                "stage": self.stage,
            },
        )

    def post(self, request, *args, **kwargs):
        person_form, unit_forms = self.forms(request.POST, request.FILES)
        if person_form.is_valid() and all(form.is_valid() for form in unit_forms):
            conditions = {form.item.pk: form.service_data() for form in unit_forms}
            try:
                self.act(person_form.cleaned_data["person"], conditions)
            except ValidationError as error:
                if hasattr(error, "error_dict") and "photo" in error.error_dict:
                    unit_forms[0].add_error("photo", error.error_dict["photo"])
                else:
                    person_form.add_error(
                        None,
                        error if not hasattr(error, "error_dict") else " ".join(error.messages),
                    )
            else:
                return redirect(self.booking)
        return self.render(person_form, unit_forms)


class BookingHandOutView(ConditionFormsMixin, BookingObjectMixin, View):
    stage_permission = "equipment_bank.hand_out"
    stage = "handover"

    def act(self, person, conditions):
        services.booking_hand_out(
            booking=self.booking, actor=self.request.user, received_by=person, conditions=conditions
        )
        messages.success(self.request, _("Handed out. The protocol is ready to print."))


class BookingReturnView(ConditionFormsMixin, BookingObjectMixin, View):
    stage_permission = "equipment_bank.take_back"
    stage = "return"

    def act(self, person, conditions):
        _booking, cases = services.booking_return(
            booking=self.booking, actor=self.request.user, returned_by=person, conditions=conditions
        )
        if cases:
            messages.warning(
                self.request,
                _("Returned with differences: %(count)s damage case(s) opened.")
                % {"count": len(cases)},
            )
        else:
            messages.success(self.request, _("Returned in the condition it was handed out."))


class BookingProtocolView(BookingObjectMixin, View):
    permission = "equipment_bank.view_protocol"

    def get(self, request, *args, **kwargs):
        response = HttpResponse(protocol_pdf(self.booking), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="protokol-{self.booking.pk}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


# --- owners ------------------------------------------------------------------------------------


class OwnerQueueView(LoginRequiredMixin, FilteredListMixin, ListView):
    """The owner's queue: requests to decide, units to hand out and take back, damage."""

    estimate_count = False  # one party's rows (pestor.pagination)
    count_with_first_page = True  # all of them are read to be counted anyway
    template_name = "equipment_bank/owner_queue.html"
    context_object_name = "bookings"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.owner = selectors.owner_get_for_user(user=request.user, pk=kwargs["pk"])
        require("equipment_bank.manage_owner", request.user, self.owner)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.filterset = selectors.owner_queue(owner=self.owner, filters=self.request.GET)
        return self.filterset.qs

    def get_page_rows(self, keys):
        return selectors.booking_rows(keys, queue=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            owner=self.owner,
            damage_cases=list(selectors.damage_list(owner=self.owner)[:50]),
            now=timezone.now(),
            **kwargs,
        )
        # The yearly summary heads the queue's first page; a deeper page reads its keys first
        # (pestor.pagination), and the page stays within ten queries without it.
        first_page = context["page_obj"].number == 1
        context["in_kind"] = selectors.in_kind_of_owner(owner=self.owner) if first_page else []
        return context


class DamageDetailView(LoginRequiredMixin, FormView):
    template_name = "equipment_bank/damage_detail.html"
    form_class = DamageClearForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.case = selectors.damage_get_for_user(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case,
            may_clear=has_permission("equipment_bank.clear_damage", self.request.user, self.case),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        require("equipment_bank.clear_damage", request.user, self.case)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.damage_clear(
                case=self.case, actor=self.request.user, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as error:
            apply_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The damage case is cleared; the unit is lent again."))
        return redirect(self.case)


# --- photos ------------------------------------------------------------------------------------


class ResourcePhotoMixin(ResourceObjectMixin):
    permission = "equipment_bank.manage_resource"

    def get_photos(self):
        return self.resource.photos.order_by("position", "pk")

    def get_success_url(self):
        return reverse("equipment_bank:resource-photos", kwargs={"pk": self.resource.pk})


class ResourcePhotosView(ResourcePhotoMixin, PhotoAddView):
    """The resource's photos and attachments, and forms to add them (owner managers)."""

    template_name = "equipment_bank/resource_photos.html"
    form_class = PhotoForm

    def get_context_data(self, **kwargs):
        kwargs.setdefault("attachment_form", AttachmentForm())
        return super().get_context_data(
            photos=list(self.get_photos()),
            attachments=list(self.resource.attachments.all()),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "title" not in request.POST:
            return super().post(request, *args, **kwargs)
        attachment_form = AttachmentForm(request.POST, request.FILES)
        if attachment_form.is_valid():
            try:
                services.resource_attachment_add(
                    resource=self.resource, actor=request.user, **attachment_form.cleaned_data
                )
            except ValidationError as error:
                apply_service_error(attachment_form, error)
            else:
                messages.success(request, _("The attachment has been added."))
                return redirect(self.get_success_url())
        return self.render_to_response(
            self.get_context_data(form=PhotoForm(), attachment_form=attachment_form)
        )

    def add_photo(self, *, image, alt_text):
        services.resource_photo_add(
            resource=self.resource, actor=self.request.user, image=image, alt_text=alt_text
        )


class ResourcePhotoRemoveView(ResourcePhotoMixin, PhotoRemoveView):
    def remove_photo(self, photo):
        services.resource_photo_remove(photo=photo, actor=self.request.user)


# --- an organisation's calendar feed -----------------------------------------------------------


class OrganisationFeedView(LoginRequiredMixin, TemplateView):
    """The secret address of the organisation's bookings as a calendar; a new one revokes the
    old."""

    template_name = "equipment_bank/organisation_feed.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.organisation = directory_selectors.organisation_get_for_user(
            user=request.user, slug=kwargs["slug"]
        )
        require("equipment_bank.view_organisation_bookings", request.user, self.organisation)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.organisation,
            feed=selectors.feed_active(organisation=self.organisation),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(organisation=self.organisation, actor=request.user)
            messages.success(request, _("The calendar address no longer works."))
        else:
            services.calendar_feed_renew(organisation=self.organisation, actor=request.user)
            messages.success(request, _("A new calendar address has been made."))
        return redirect("equipment_bank:organisation-feed", slug=self.organisation.slug)


class OrganisationFeedIcsView(View):
    """The organisation's bookings as iCalendar, for whoever holds the secret address."""

    def get(self, request, token):
        feed = selectors.feed_get(token=token)
        bookings = selectors.organisation_feed_bookings(organisation=feed.organisation)
        response = HttpResponse(
            feeds.organisation_feed(feed.organisation, bookings),
            content_type="text/calendar; charset=utf-8",
        )
        response["Cache-Control"] = "private, no-store"
        return response


# --- exports -----------------------------------------------------------------------------------

BOOKING_COLUMNS = (
    Column(gettext_lazy("Number"), lambda b: b.pk, NUMBER),
    Column(gettext_lazy("Resource"), lambda b: b.title),
    Column(gettext_lazy("Owner"), lambda b: b.owner.name),
    Column(gettext_lazy("Borrower"), lambda b: b.borrower_name),
    Column(gettext_lazy("From"), lambda b: b.starts_at, DATE),
    Column(gettext_lazy("Until"), lambda b: b.ends_at, DATE),
    Column(gettext_lazy("Status"), lambda b: b.get_status_display()),
    Column(gettext_lazy("Purpose"), lambda b: b.purpose),
    Column(gettext_lazy("Public task or event"), lambda b: b.public_task),
    Column(gettext_lazy("Fee (PLN)"), lambda b: b.fee, NUMBER),
    Column(gettext_lazy("Market value (PLN)"), lambda b: b.reference_value, NUMBER),
    Column(gettext_lazy("In-kind value (PLN)"), lambda b: b.in_kind_value, NUMBER),
)


class BookingExportView(LoginRequiredMixin, ListExportView):
    """Bookings of the owners of the official's municipalities, with the list's filters."""

    columns = BOOKING_COLUMNS
    filename = "rezerwacje-sprzetu"
    title = gettext_lazy("Bookings of equipment and rooms")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require("equipment_bank.export_bookings", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_rows(self):
        return selectors.export_bookings(user=self.request.user, filters=self.request.GET)
