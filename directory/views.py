"""Glue between HTTP and the directory's services: permission → form → service → response."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from pestor.exports import DATE, Column
from pestor.forms import apply_validation_error
from pestor.maps import MapPageMixin, parse_bbox
from pestor.pagination import CappedPaginationMixin
from pestor.permissions import has_permission, require
from pestor.sections import organisation_annotations, organisation_sections
from pestor.views import ListExportView

from . import selectors, services
from .forms import (
    FounderForm,
    InvitationForm,
    OrganisationForm,
    RejectForm,
    ReturnLegalChangeForm,
    SuspendForm,
)


class FilteredOrganisationsMixin(CappedPaginationMixin):
    """The public directory's filters from the query string, and that query string without the
    page (for the pagination's, the map's and the export's links)."""

    search_param = "q"  # a word search pages through pestor.pagination.SEARCH_RESULT_CAP

    def get_filterset(self):
        if not hasattr(self, "filterset"):
            self.filterset = selectors.organisation_list(filters=self.request.GET)
        return self.filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.get_filterset(), query_without_page=query.urlencode())
        return context


class OrganisationListView(FilteredOrganisationsMixin, ListView):
    template_name = "directory/organisation_list.html"
    paginate_by = 20
    context_object_name = "organisations"

    def get_queryset(self):
        return self.get_filterset().qs

    def get_page_rows(self, keys):
        return selectors.organisation_cards(keys)


def _yes_no(value) -> str:
    return _("yes") if value else _("no")


ORGANISATION_COLUMNS = (
    Column(gettext_lazy("Name"), lambda o: o.name),
    Column(gettext_lazy("Legal form"), lambda o: o.get_legal_form_display()),
    Column(gettext_lazy("KRS"), lambda o: o.krs),
    Column(gettext_lazy("NIP"), lambda o: o.nip),
    Column(gettext_lazy("REGON"), lambda o: o.regon),
    Column(
        gettext_lazy("Public benefit organisation (OPP)"), lambda o: _yes_no(o.is_public_benefit)
    ),
    Column(gettext_lazy("Social enterprise"), lambda o: _yes_no(o.is_social_enterprise)),
    Column(gettext_lazy("Address"), lambda o: f"{o.street}, {o.postal_code} {o.city}"),
    Column(gettext_lazy("Seat municipality"), lambda o: o.seat_municipality.name),
    Column(gettext_lazy("E-mail"), lambda o: o.email),
    Column(gettext_lazy("Phone"), lambda o: o.phone),
    Column(gettext_lazy("Website"), lambda o: o.website),
    Column(gettext_lazy("Spheres of public tasks"), lambda o: "; ".join(map(str, o.spheres.all()))),
)


class OrganisationExportView(ListExportView):
    """The public directory with its filters, as a file."""

    columns = ORGANISATION_COLUMNS
    filename = "organizacje"
    title = gettext_lazy("PES directory")

    def get_rows(self):
        return selectors.organisation_export_rows(
            selectors.organisation_list(filters=self.request.GET).qs
        )


class OrganisationMapView(MapPageMixin, FilteredOrganisationsMixin, ListView):
    """The map of the directory's organisations, filtered like the list. The map asks the
    GeoJSON endpoint for the points of the area it shows; the table beside it (the map's text
    equivalent, which works without JavaScript) is paginated like the list."""

    template_name = "directory/organisation_map.html"
    geojson_url_name = "directory:organisation-geojson"
    paginate_by = 50
    context_object_name = "organisations"

    def get_queryset(self):
        return self.get_filterset().qs

    def get_page_rows(self, keys):
        return selectors.organisation_map_rows(keys)


class OrganisationGeoJsonView(View):
    """The organisations of the map within ``bbox`` (west,south,east,north in degrees, as
    GeoJSON has it), with the directory's filters, as a GeoJSON FeatureCollection of at most
    ``selectors.MAP_FEATURES_LIMIT`` points. A missing or malformed ``bbox`` or filter is a 400
    with a message, never a 500."""

    def get(self, request, *args, **kwargs):
        try:
            bbox = parse_bbox(request.GET.get("bbox", ""))
        except ValueError as error:
            return JsonResponse({"error": str(error)}, status=400)
        filterset = selectors.organisation_list(filters=request.GET)
        if not filterset.form.is_valid():
            return JsonResponse(
                {"error": _("Check the filters."), "errors": filterset.form.errors.get_json_data()},
                status=400,
            )
        return JsonResponse(
            selectors.organisation_map_features(filterset.qs, bbox=bbox, filters=request.GET)
        )


class OrganisationDetailView(TemplateView):
    template_name = "directory/organisation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # One query reads the organisation with its spheres, the municipalities it serves and
        # what the sections annotate it with (pestor.sections).
        organisation = selectors.organisation_page_get(
            user=user, slug=self.kwargs["slug"], annotations=organisation_annotations()
        )
        # Only the people who can act on it (members, officials) learn of a pending change.
        may_know = (
            organisation.is_public
            and organisation.directory_change_pending
            and has_permission("directory.view_history", user, organisation)
        )
        pending_legal_change = (
            selectors.legal_change_pending(organisation=organisation) if may_know else None
        )
        context.update(
            organisation=organisation,
            spheres=organisation.directory_spheres,
            municipalities_served=[row["name"] for row in organisation.directory_served],
            pending_legal_change=pending_legal_change,
            points=selectors.map_points([organisation]),
            founders=selectors.cooperative_founders(organisation=organisation),
            sections=organisation_sections(organisation=organisation, request=self.request),
        )
        return context


class OrganisationRegisterView(LoginRequiredMixin, FormView):
    template_name = "directory/organisation_form.html"
    form_class = OrganisationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require("directory.register_organisation", request.user)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            organisation = services.organisation_register(
                owner=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "The organisation has been registered. An official of %(municipality)s will "
                "verify it; we will let you know by e-mail."
            )
            % {"municipality": organisation.seat_municipality},
        )
        return redirect(organisation)


class OrganisationObjectMixin(LoginRequiredMixin):
    """Fetches the organisation in the URL through the user-scoped selector and checks
    ``permission`` on it; a missing and an invisible organisation are the same 404."""

    permission: str

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.organisation = selectors.organisation_get_for_user(
            user=request.user, slug=kwargs["slug"]
        )
        require(self.permission, request.user, self.organisation)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(organisation=self.organisation, **kwargs)


class OrganisationEditView(OrganisationObjectMixin, FormView):
    permission = "directory.edit_organisation"
    template_name = "directory/organisation_form.html"
    form_class = OrganisationForm

    def get_form_kwargs(self):
        # The legal data of a verified organisation change only through an official's review
        # (LegalChangeView); before verification only owners correct them here.
        legal_data = self.organisation.status in (
            self.organisation.Status.PENDING,
            self.organisation.Status.REJECTED,
        ) and has_permission("directory.change_legal_data", self.request.user, self.organisation)
        return {
            **super().get_form_kwargs(),
            "instance": self.organisation,
            "legal_data": legal_data,
        }

    def form_valid(self, form):
        was_rejected = self.organisation.status == self.organisation.Status.REJECTED
        try:
            organisation = services.organisation_update(
                organisation=self.organisation, actor=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        if was_rejected:
            messages.success(
                self.request,
                _("Thank you. The corrected data went back to the official for verification."),
            )
        else:
            messages.success(self.request, _("The changes have been saved."))
        return redirect(organisation)


class OrganisationMembersView(OrganisationObjectMixin, FormView):
    permission = "directory.manage_members"
    template_name = "directory/organisation_members.html"
    form_class = InvitationForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            members=selectors.organisation_members(organisation=self.organisation),
            invitations=selectors.open_invitations(organisation=self.organisation),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            invitation = services.invitation_send(
                organisation=self.organisation,
                email=form.cleaned_data["email"],
                invited_by=self.request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
        )
        return redirect("directory:organisation-members", slug=self.organisation.slug)


class OrganisationFoundersView(OrganisationObjectMixin, FormView):
    """A cooperative's founding members: the list, and a form to add one."""

    permission = "directory.edit_founders"
    template_name = "directory/organisation_founders.html"
    form_class = FounderForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            founders=selectors.cooperative_founders(organisation=self.organisation), **kwargs
        )

    def form_valid(self, form):
        try:
            founder = services.founder_add(
                actor=self.request.user, cooperative=self.organisation, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(founder)s has been added to the founding members.")
            % {"founder": founder.display_name},
        )
        return redirect("directory:organisation-founders", slug=self.organisation.slug)


class FounderRemoveView(OrganisationObjectMixin, View):
    permission = "directory.edit_founders"

    def post(self, request, *args, **kwargs):
        founder = get_object_or_404(
            selectors.cooperative_founders(organisation=self.organisation), pk=kwargs["pk"]
        )
        services.founder_remove(actor=request.user, founder=founder)
        messages.success(
            request,
            _("%(founder)s has been removed from the founding members.")
            % {"founder": founder.display_name},
        )
        return redirect("directory:organisation-founders", slug=self.organisation.slug)


class MemberRemoveView(OrganisationObjectMixin, View):
    permission = "directory.manage_members"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(
            selectors.organisation_members(organisation=self.organisation), pk=kwargs["pk"]
        )
        try:
            services.membership_remove(membership=membership, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(member)s is no longer a member.") % {"member": membership.user}
            )
        return redirect("directory:organisation-members", slug=self.organisation.slug)


class MemberRoleView(OrganisationObjectMixin, View):
    """An owner makes an editor an owner (handing the organisation over) or an owner an editor."""

    permission = "directory.manage_members"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(
            selectors.organisation_members(organisation=self.organisation), pk=kwargs["pk"]
        )
        role = request.POST.get("role", "")
        try:
            services.membership_set_role(membership=membership, role=role, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if membership.role == membership.Role.OWNER:
                message = _("%(member)s is now an owner of the organisation.")
            else:
                message = _("%(member)s is now an editor of the organisation.")
            messages.success(request, message % {"member": membership.user})
        return redirect("directory:organisation-members", slug=self.organisation.slug)


class InvitationAcceptView(LoginRequiredMixin, TemplateView):
    template_name = "directory/invitation_accept.html"

    def get_context_data(self, **kwargs):
        invitation = selectors.invitation_get_by_token(token=self.kwargs["token"])
        return super().get_context_data(invitation=invitation, **kwargs)

    def post(self, request, *args, **kwargs):
        invitation = selectors.invitation_get_by_token(token=kwargs["token"])
        try:
            membership = services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("directory:invitation-accept", token=invitation.token)
        messages.success(
            request,
            _("You are now an editor of %(organisation)s.")
            % {"organisation": membership.organisation},
        )
        return redirect(membership.organisation)


class VerificationQueueView(LoginRequiredMixin, CappedPaginationMixin, ListView):
    template_name = "directory/verification_queue.html"
    paginate_by = 30
    # The rest are one filter away in the directory ("not confirmed only").
    UNCONFIRMED_SHOWN = 50
    context_object_name = "organisations"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require("directory.view_verification_queue", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.verification_queue(user=self.request.user)

    def get_context_data(self, **kwargs):
        unconfirmed = selectors.unconfirmed_organisations(user=self.request.user)
        return super().get_context_data(
            legal_changes=selectors.legal_change_queue(user=self.request.user),
            unconfirmed=unconfirmed[: self.UNCONFIRMED_SHOWN],
            **kwargs,
        )


QUEUE_COLUMNS = (
    Column(gettext_lazy("Name"), lambda o: o.name),
    Column(gettext_lazy("Legal form"), lambda o: o.get_legal_form_display()),
    Column(gettext_lazy("KRS"), lambda o: o.krs),
    Column(gettext_lazy("NIP"), lambda o: o.nip),
    Column(gettext_lazy("REGON"), lambda o: o.regon),
    Column(gettext_lazy("Seat municipality"), lambda o: o.seat_municipality.name),
    Column(gettext_lazy("Status"), lambda o: o.get_status_display()),
    Column(gettext_lazy("Registered"), lambda o: o.created_at, DATE),
)


class VerificationQueueExportView(LoginRequiredMixin, ListExportView):
    """The registrations awaiting the official's verification, as a file."""

    columns = QUEUE_COLUMNS
    filename = "weryfikacja"
    title = gettext_lazy("Verification")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require("directory.view_verification_queue", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_rows(self):
        return selectors.verification_queue(user=self.request.user)


class OrganisationDecisionView(OrganisationObjectMixin, FormView):
    """An official verifies a registration, or returns it with a reason."""

    permission = "directory.verify_organisation"
    template_name = "directory/organisation_decision.html"
    form_class = RejectForm

    def post(self, request, *args, **kwargs):
        if request.POST.get("decision") == "verify":
            try:
                services.organisation_verify(organisation=self.organisation, official=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("directory:verification-queue")
            messages.success(
                request,
                _("%(organisation)s is verified and now public.")
                % {"organisation": self.organisation},
            )
            return redirect("directory:verification-queue")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.organisation_reject(
                organisation=self.organisation,
                official=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(organisation)s was returned for correction.")
            % {"organisation": self.organisation},
        )
        return redirect("directory:verification-queue")


class OrganisationDeactivateView(OrganisationObjectMixin, TemplateView):
    """An owner withdraws the organisation from the portal, after a confirmation page."""

    permission = "directory.deactivate_organisation"
    template_name = "directory/organisation_deactivate.html"

    def post(self, request, *args, **kwargs):
        organisation = services.organisation_deactivate(
            organisation=self.organisation, actor=request.user
        )
        messages.success(
            request,
            _(
                "%(organisation)s is deactivated: the portal no longer shows it. You can "
                "reactivate it on its page."
            )
            % {"organisation": organisation},
        )
        return redirect(organisation)


class OrganisationReactivateView(OrganisationObjectMixin, View):
    permission = "directory.reactivate_organisation"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        organisation = services.organisation_reactivate(
            organisation=self.organisation, actor=request.user
        )
        messages.success(
            request, _("%(organisation)s is active again.") % {"organisation": organisation}
        )
        return redirect(organisation)


class OrganisationSuspendView(OrganisationObjectMixin, FormView):
    """An official suspends a verified organisation with a reason, or restores a suspended
    one."""

    permission = "directory.suspend_organisation"
    template_name = "directory/organisation_suspend.html"
    form_class = SuspendForm

    def form_valid(self, form):
        try:
            organisation = services.organisation_suspend(
                organisation=self.organisation,
                official=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(organisation)s is suspended; its members have been told why.")
            % {"organisation": organisation},
        )
        return redirect(organisation)


class OrganisationRestoreView(OrganisationObjectMixin, View):
    permission = "directory.restore_organisation"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        organisation = services.organisation_restore(
            organisation=self.organisation, official=request.user
        )
        messages.success(
            request,
            _("%(organisation)s is restored and public again.") % {"organisation": organisation},
        )
        return redirect(organisation)


class OrganisationConfirmDataView(OrganisationObjectMixin, View):
    """The yearly check: an owner confirms the data shown on the page are up to date."""

    permission = "directory.confirm_data"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.organisation_confirm_data(organisation=self.organisation, actor=request.user)
        messages.success(request, _("Thank you. The data are confirmed for this year."))
        return redirect(self.organisation)


class OrganisationHistoryView(OrganisationObjectMixin, CappedPaginationMixin, ListView):
    estimate_count = False  # one party's rows (pestor.pagination)
    permission = "directory.view_history"
    template_name = "directory/organisation_history.html"
    paginate_by = 50
    context_object_name = "events"

    def get_queryset(self):
        return selectors.organisation_history(organisation=self.organisation)


class LegalChangeView(OrganisationObjectMixin, FormView):
    """An owner proposes new legal data for a verified organisation, sees the change awaiting
    the official (and may withdraw it), or the reason the last one was returned."""

    permission = "directory.request_legal_change"
    template_name = "directory/legal_change_form.html"
    form_class = OrganisationForm

    def get_form_kwargs(self):
        # A fresh copy: the form writes what was typed onto its instance, the page's heading
        # and the comparison keep showing the verified record.
        instance = selectors.organisation_get_for_user(
            user=self.request.user, slug=self.organisation.slug
        )
        return {**super().get_form_kwargs(), "instance": instance, "profile": False}

    def get_context_data(self, **kwargs):
        pending = selectors.legal_change_pending(organisation=self.organisation)
        latest = pending or selectors.legal_change_latest(organisation=self.organisation)
        return super().get_context_data(
            pending_change=pending,
            comparison=selectors.legal_change_comparison(change=pending) if pending else None,
            returned_change=latest if latest and latest.status == "returned" else None,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.legal_change_request(
                organisation=self.organisation,
                requested_by=self.request.user,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "The change has been sent to an official of %(municipality)s. Until it is "
                "accepted, the directory shows the verified data."
            )
            % {"municipality": self.organisation.seat_municipality},
        )
        return redirect("directory:legal-change", slug=self.organisation.slug)


class LegalChangeWithdrawView(OrganisationObjectMixin, View):
    permission = "directory.change_legal_data"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        change = selectors.legal_change_pending(organisation=self.organisation)
        if change is None:
            raise Http404
        try:
            services.legal_change_withdraw(change=change, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The change of the legal data has been withdrawn."))
        return redirect("directory:legal-change", slug=self.organisation.slug)


class LegalChangeReviewView(LoginRequiredMixin, FormView):
    """An official compares the verified and the proposed legal data, and accepts the change
    or returns it with a reason."""

    template_name = "directory/legal_change_review.html"
    form_class = ReturnLegalChangeForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.change = selectors.legal_change_get_for_user(user=request.user, pk=kwargs["pk"])
        require("directory.review_legal_change", request.user, self.change)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            change=self.change,
            organisation=self.change.organisation,
            comparison=selectors.legal_change_comparison(change=self.change),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("decision") == "accept":
            try:
                services.legal_change_accept(change=self.change, official=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("directory:legal-change-review", pk=self.change.pk)
            messages.success(
                request,
                _("The new legal data of %(organisation)s are verified and public.")
                % {"organisation": self.change.organisation},
            )
            return redirect("directory:verification-queue")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.legal_change_return(
                change=self.change, official=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The change was returned to %(organisation)s; the verified data stay as they are.")
            % {"organisation": self.change.organisation},
        )
        return redirect("directory:verification-queue")
