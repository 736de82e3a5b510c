"""Pages of the events: the public calendar (list, month, Atom and iCalendar feeds), an event's
page with registration, the organisers' forms, the participants with attendance, the
attendance list (PDF, CSV, XLSX) and certificates."""

import calendar
from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View

from directory.models import Organisation
from directory.permissions import membership_statuses, verified_organisation_ids
from pestor import roles
from pestor.exports import FORMATS, export_response
from pestor.forms import apply_validation_error
from pestor.models import Municipality
from pestor.pagination import CappedPaginationMixin
from pestor.permissions import has_permission, require

from . import pdf, selectors, services
from .exports import ATTENDANCE_COLUMNS
from .feeds import ICAL_LENGTH, events_ical
from .forms import (
    CancelEventForm,
    EventForm,
    MaterialForm,
    RegistrationForm,
    ReportForm,
    speakers_text,
)
from .models import Registration
from .permissions import publisher_municipality_ids


class SignedInMixin(LoginRequiredMixin):
    pass


# --- the calendar ----------------------------------------------------------------------------


class EventListView(CappedPaginationMixin, ListView):
    template_name = "community/event_list.html"
    paginate_by = 20
    context_object_name = "events"

    def get_queryset(self):
        self.filterset = selectors.event_list(filters=self.request.GET or None)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        user = self.request.user
        may_publish = has_permission("community.publish", user)
        today = timezone.localdate()
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=self.filterset,
            may_publish=may_publish,
            drafts=list(selectors.event_drafts(user=user)[:50]) if may_publish else [],
            month_url=reverse("community:event-month", args=[today.year, today.month]),
            query=query.urlencode(),
            now=timezone.now(),
            **kwargs,
        )


class EventMonthView(TemplateView):
    """The month as a table of weeks, each day with its events (no JavaScript)."""

    template_name = "community/event_month.html"

    def get_context_data(self, **kwargs):
        year, month = kwargs["year"], kwargs["month"]
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise Http404
        filterset, events = selectors.event_month(
            year=year, month=month, filters=self.request.GET or None
        )
        by_day: dict[date, list] = {}
        for event in events:
            first = max(timezone.localdate(event.starts_at), date(year, month, 1))
            last = min(
                timezone.localdate(event.ends_at),
                date(year, month, calendar.monthrange(year, month)[1]),
            )
            for day in range(first.day, last.day + 1):
                by_day.setdefault(date(year, month, day), []).append(event)
        weeks = [
            [
                {"day": day, "events": by_day.get(day, []), "in_month": day.month == month}
                for day in week
            ]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        query = self.request.GET.urlencode()
        return super().get_context_data(
            filter=filterset,
            weeks=weeks,
            month_start=date(year, month, 1),
            events=events,
            previous=previous if previous.year >= 2000 else None,
            following=following if following.year <= 2100 else None,
            query=query,
            today=timezone.localdate(),
            **kwargs,
        )


class EventICalView(View):
    def get(self, request):
        filterset = selectors.event_list(filters=request.GET or None)
        events = [] if not filterset.is_valid() else list(filterset.qs[:ICAL_LENGTH])
        response = HttpResponse(events_ical(events), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="wydarzenia.ics"'
        return response


# --- an event --------------------------------------------------------------------------------


def _organisations_of(user):
    statuses = membership_statuses(user)
    return Organisation.objects.filter(pk__in=list(statuses)).order_by("name")


class EventDetailView(TemplateView):
    template_name = "community/event_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        event = selectors.event_get_for_user(user=user, pk=kwargs["pk"])
        mine = selectors.registrations_of_user_for_event(user=user, event=event)
        if any(registration.status == Registration.Status.WAITING for registration in mine):
            queue = selectors.waiting_queue(event=event)
            for registration in mine:
                if registration.pk in queue:
                    registration.position = queue.index(registration.pk) + 1
        may_register = has_permission("community.register", user, event)
        form = kwargs.pop("form", None)
        if form is None and may_register:
            form = RegistrationForm(user=user, organisations=_organisations_of(user))
        return super().get_context_data(
            event=event,
            speakers=selectors.event_speakers(event=event),
            points=_map_points(event),
            materials=selectors.event_materials(event=event),
            mine=mine,
            form=form,
            may_register=may_register,
            may_manage=has_permission("community.manage_event", user, event),
            may_edit=has_permission("community.edit_event", user, event),
            may_publish=has_permission("community.publish_event", user, event),
            may_cancel=has_permission("community.cancel_event", user, event),
            may_report=has_permission("community.report_event", user, event),
            now=timezone.now(),
            **kwargs,
        )


def _map_points(event) -> list[dict]:
    if not event.has_map_point:
        return []
    return [
        {
            "name": event.title,
            "url": event.get_absolute_url(),
            "lat": float(event.latitude),
            "lon": float(event.longitude),
            "address": event.venue,
        }
    ]


class RegisterView(SignedInMixin, View):
    def post(self, request, pk):
        event = selectors.event_get_for_user(user=request.user, pk=pk)
        form = RegistrationForm(
            request.POST, user=request.user, organisations=_organisations_of(request.user)
        )
        if not has_permission("community.register", request.user, event):
            form.is_valid()
            form.add_error(None, _("Registration for this event is closed."))
        elif form.is_valid():
            try:
                created = services.registration_create(
                    event=event,
                    actor=request.user,
                    participants=form.cleaned_data["participants"],
                    organisation=form.cleaned_data["organisation"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                _registered_message(request, created)
                return redirect(event)
        view = EventDetailView()
        view.setup(request, pk=pk)
        return view.render_to_response(view.get_context_data(pk=pk, form=form), status=400)

    def get(self, request, pk):
        return redirect("community:event-detail", pk=pk)


def _registered_message(request, created):
    confirmed = [r.name for r in created if r.status == Registration.Status.CONFIRMED]
    waiting = [r.name for r in created if r.status == Registration.Status.WAITING]
    if confirmed:
        messages.success(
            request, _("Registered with a place: %(names)s.") % {"names": ", ".join(confirmed)}
        )
    if waiting:
        messages.warning(
            request,
            _(
                "No places left: %(names)s on the waiting list. A place that frees up goes to "
                "the first waiting, who gets an e-mail."
            )
            % {"names": ", ".join(waiting)},
        )


class RegistrationCancelView(SignedInMixin, TemplateView):
    template_name = "community/registration_cancel.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.registration = selectors.registration_get_for_user(user=request.user, pk=kwargs["pk"])
        require("community.cancel_registration", request.user, self.registration)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(registration=self.registration, **kwargs)

    def post(self, request, pk):
        try:
            promoted = services.registration_cancel(
                registration=self.registration, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.registration.event)
        messages.success(
            request,
            _("The registration of %(name)s is cancelled.") % {"name": self.registration.name},
        )
        if promoted is not None:
            messages.info(
                request,
                _("The place went to %(name)s from the waiting list.") % {"name": promoted.name},
            )
        return redirect(self.registration.event)


class MyRegistrationsView(SignedInMixin, CappedPaginationMixin, ListView):
    template_name = "community/my_registrations.html"
    paginate_by = 30
    estimate_count = False
    context_object_name = "registrations"

    def get_queryset(self):
        return selectors.my_registrations(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(now=timezone.now(), **kwargs)


# --- the organisers' forms -------------------------------------------------------------------


def _publishers(user, event=None) -> dict:
    """{choice key: (label, municipality or organisation)} the user may publish for."""
    if event is not None:
        target = event.organiser or event.municipality
        key = f"o{target.pk}" if event.organiser else f"m{target.pk}"
        return {key: (str(target), target)}
    choices = {}
    municipalities = (
        Municipality.objects.all()
        if roles.is_administrator(user)
        else Municipality.objects.filter(pk__in=publisher_municipality_ids(user))
    )
    for municipality in municipalities.order_by("name")[:100]:
        choices[f"m{municipality.pk}"] = (
            _("Municipality: %(name)s") % {"name": municipality.name},
            municipality,
        )
    for organisation in Organisation.objects.filter(
        pk__in=verified_organisation_ids(user)
    ).order_by("name"):
        choices[f"o{organisation.pk}"] = (organisation.name, organisation)
    return choices


def _partnerships(user, event=None) -> list:
    """The partnerships the event may be organised by: those the user's organisations (the
    event's organiser, when editing) are active members of, and the one already named."""
    from partnerships import selectors as partnership_selectors

    if event is None:
        ids = verified_organisation_ids(user)
    else:
        ids = [event.organiser_id] if event.organiser_id else []
    choices = partnership_selectors.event_partnership_choices(organisation_ids=ids) if ids else []
    named = event.partnership_id if event is not None else None
    if named and all(pk != named for pk, _name, _members in choices):
        # Kept when unchanged although the organiser has left it since.
        choices.insert(0, (named, event.partnership.name, frozenset({event.organiser_id})))
    return choices


def _where(publisher) -> dict:
    if isinstance(publisher, Organisation):
        return {"municipality": publisher.seat_municipality, "organiser": publisher}
    return {"municipality": publisher, "organiser": None}


class EventCreateView(SignedInMixin, FormView):
    template_name = "community/event_form.html"
    form_class = EventForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require("community.publish", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "publishers": _publishers(user),
            "partnerships": _partnerships(user),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("New event"), **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        publisher = data.pop("publisher")
        try:
            event = services.event_create(actor=self.request.user, **_where(publisher), **data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The event is saved as a draft. Publish it when it is ready.")
        )
        return redirect(event)


class EventUpdateView(SignedInMixin, FormView):
    template_name = "community/event_form.html"
    form_class = EventForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = selectors.event_get_for_user(user=request.user, pk=kwargs["pk"])
        require("community.edit_event", request.user, self.event)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "publishers": _publishers(self.request.user, self.event),
            "partnerships": _partnerships(self.request.user, self.event),
        }

    def get_initial(self):
        event = self.event
        initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
        for name in ("starts_at", "ends_at", "registration_deadline"):
            initial[name] = timezone.localtime(initial[name])
        initial["speakers"] = speakers_text(selectors.event_speakers(event=event))
        initial["partnership"] = str(event.partnership_id or "")
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            heading=_("Edit: %(title)s") % {"title": self.event.title}, event=self.event, **kwargs
        )

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        data.pop("publisher")
        try:
            services.event_update(event=self.event, actor=self.request.user, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return redirect(self.event)


class EventPublishView(SignedInMixin, View):
    def post(self, request, pk):
        event = selectors.event_get_for_user(user=request.user, pk=pk)
        require("community.publish_event", request.user, event)
        services.event_publish(event=event, actor=request.user)
        messages.success(request, _("The event is published in the calendar."))
        return redirect(event)


class EventCancelView(SignedInMixin, FormView):
    template_name = "community/event_cancel.html"
    form_class = CancelEventForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = selectors.event_get_for_user(user=request.user, pk=kwargs["pk"])
        require("community.cancel_event", request.user, self.event)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, **kwargs)

    def form_valid(self, form):
        services.event_cancel(
            event=self.event, actor=self.request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(self.request, _("The event is cancelled; everyone registered is told."))
        return redirect(self.event)


class EventReportView(SignedInMixin, FormView):
    template_name = "community/event_report.html"
    form_class = ReportForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = selectors.event_get_for_user(user=request.user, pk=kwargs["pk"])
        require("community.report_event", request.user, self.event)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"report": self.event.report}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event,
            materials=selectors.event_materials(event=self.event),
            material_form=kwargs.pop("material_form", None) or MaterialForm(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.report_publish(
                event=self.event, actor=self.request.user, report=form.cleaned_data["report"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The report is published on the event's page."))
        return redirect(self.event)


class MaterialAddView(EventReportView):
    """Uploads a material on the report's page (the report's form is shown unchanged)."""

    def post(self, request, *args, **kwargs):
        material_form = MaterialForm(request.POST, request.FILES)
        if material_form.is_valid():
            try:
                services.material_add(
                    event=self.event,
                    actor=request.user,
                    title=material_form.cleaned_data["title"],
                    file=material_form.cleaned_data["file"],
                )
            except ValidationError as error:
                apply_validation_error(material_form, error)
            else:
                messages.success(request, _("The material is published on the event's page."))
                return redirect("community:event-report", pk=self.event.pk)
        context = self.get_context_data(
            form=self.get_form_class()(initial=self.get_initial()), material_form=material_form
        )
        return self.render_to_response(context, status=400)


class MaterialRemoveView(SignedInMixin, View):
    def post(self, request, pk, material_pk):
        material = selectors.material_get_for_user(user=request.user, event_pk=pk, pk=material_pk)
        require("community.report_event", request.user, material.event)
        services.material_remove(material=material, actor=request.user)
        messages.success(request, _("The material is removed."))
        return redirect("community:event-report", pk=pk)


class MaterialDownloadView(View):
    """A material of an event one may see, as a download that runs nothing when opened."""

    def get(self, request, pk, material_pk):
        from django.http import FileResponse

        from .validators import MATERIAL_CONTENT_TYPES

        material = selectors.material_get_for_user(user=request.user, event_pk=pk, pk=material_pk)
        response = FileResponse(
            material.file.open("rb"),
            as_attachment=True,
            filename=f"material-{material.pk}{material.extension}",
            content_type=MATERIAL_CONTENT_TYPES[material.extension],
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


# --- participants, attendance, documents -----------------------------------------------------


class ParticipantsView(SignedInMixin, CappedPaginationMixin, ListView):
    """The organiser's list of everyone registered; attendance is marked here once the event
    has started (a checkbox per confirmed participant on the page shown)."""

    template_name = "community/participants.html"
    paginate_by = 100
    estimate_count = False
    context_object_name = "registrations"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = selectors.event_get_for_user(user=request.user, pk=kwargs["pk"])
        require("community.view_participants", request.user, self.event)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.event_participants(event=self.event)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            event=self.event,
            started=self.event.starts_at <= timezone.now(),
            ended=self.event.ends_at <= timezone.now(),
            **kwargs,
        )

    def post(self, request, pk):
        present = set()
        for value in request.POST.getlist("present"):
            if value.isdigit() and len(value) < 12:
                present.add(int(value))
        shown = {
            int(value)
            for value in request.POST.getlist("shown")
            if value.isdigit() and len(value) < 12
        }
        try:
            count = services.attendance_mark(
                event=self.event, actor=request.user, present=present, shown=shown
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendance saved: %(count)d present.") % {"count": count})
        return redirect(request.get_full_path())


class AttendanceListView(SignedInMixin, View):
    def get(self, request, pk, fmt):
        event = selectors.event_get_for_user(user=request.user, pk=pk)
        require("community.view_participants", request.user, event)
        filename = f"lista-obecnosci-{event.pk}"
        if fmt == "pdf":
            response = HttpResponse(pdf.attendance_list_pdf(event), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
            return response
        if fmt not in FORMATS:
            raise Http404
        return export_response(
            rows=selectors.attendance_rows(event=event).iterator(),
            columns=ATTENDANCE_COLUMNS,
            filename=filename,
            fmt=fmt,
            title=_("Attendance list"),
        )


class CertificateView(SignedInMixin, View):
    """A participant's certificate: for the organiser and for whoever registered them, once
    they were marked present."""

    def get(self, request, pk):
        registration = selectors.registration_get_for_user(user=request.user, pk=pk)
        if not (registration.attended and registration.status == Registration.Status.CONFIRMED):
            raise Http404
        response = HttpResponse(pdf.certificate_pdf(registration), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="zaswiadczenie-{registration.pk}.pdf"'
        )
        return response
