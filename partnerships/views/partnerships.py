"""Pages of partnerships: the public list and page (members, themes, the combined offer of the
PES members by theme, results, published meetings), the coordinator's forms (the partnership,
invitations, decisions on requests, leaving, meetings), the members' answers and requests."""

import re

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView, View

from demand import selectors as demand_selectors
from directory.models import Organisation
from pestor import roles
from pestor.documents import pdf_download
from pestor.exports import Column
from pestor.forms import apply_validation_error
from pestor.models import Municipality
from pestor.pagination import CappedPaginationMixin
from pestor.permissions import has_permission, require
from pestor.views import ListExportView

from .. import permissions, selectors, services
from ..forms import InviteForm, JoinForm, LeaveForm, MeetingForm, PartnershipForm
from ..models import Meeting, PartnershipMember


class PartnershipListView(CappedPaginationMixin, ListView):
    template_name = "partnerships/partnership_list.html"
    paginate_by = 20
    context_object_name = "partnerships"

    def get_queryset(self):
        self.filterset = selectors.partnership_list(filters=self.request.GET)
        return self.filterset.qs

    def get_page_rows(self, keys):
        return selectors.partnership_cards(keys)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=self.filterset,
            query_without_page=query.urlencode(),
            may_create=has_permission("partnerships.create", self.request.user),
            **kwargs,
        )


class PartnershipDetailView(CappedPaginationMixin, ListView):
    """The public page; its list is the combined offer of the PES members (by theme)."""

    template_name = "partnerships/partnership_detail.html"
    paginate_by = 12
    context_object_name = "offers"
    # The offers of one partnership's members: counted at once, without asking the planner's
    # estimate first (on PostgreSQL a query more, that could only ever say "count them").
    estimate_count = False

    def get_queryset(self):
        self.partnership = selectors.partnership_page(slug=self.kwargs["slug"])
        slug = self.request.GET.get("theme") or ""
        self.theme = next((t for t in self.partnership.theme_list if t.slug == slug), None)
        return selectors.combined_offer_keys(partnership=self.partnership, theme=self.theme)

    def get_page_rows(self, keys):
        return selectors.offer_cards(keys)

    def get_context_data(self, **kwargs):
        from community import selectors as community_selectors

        user = self.request.user
        partnership = self.partnership
        may_manage = has_permission("partnerships.manage", user, partnership)
        # One query for the members and, for a signed-in user, the invitations and requests
        # waiting (their themes in the same rows): the page stays at a fixed number of queries.
        everyone = selectors.page_members(
            partnership=partnership, with_waiting=user.is_authenticated
        )
        members = [m for m in everyone if m.status == PartnershipMember.Status.ACTIVE]
        waiting = [m for m in everyone if m.status != PartnershipMember.Status.ACTIVE]
        pending = waiting if may_manage else []
        my_members = [m for m in members if permissions.acts_for_member(user, m)]
        # partnerships.see_meetings, from the members already read: the coordinator and the
        # people of an active member.
        may_see_meetings = may_manage or bool(my_members)
        return super().get_context_data(
            partnership=partnership,
            members=members,
            pending=pending,
            theme=self.theme,
            may_manage=may_manage,
            may_request=has_permission("partnerships.request_membership", user, partnership),
            may_see_meetings=may_see_meetings,
            meetings=(
                partnership.meeting_list if may_see_meetings else partnership.published_meeting_list
            ),
            events=community_selectors.partnership_events(partnership_id=partnership.pk),
            partnership_events_url=(
                reverse("community:event-list")
                + "?"
                + urlencode({"partnership": partnership.slug, "when": ""})
            ),
            my_members=my_members,
            may_answer=any(
                member.kind == PartnershipMember.Kind.ORGANISATION for member in my_members
            ),
            my_invitations=[
                m
                for m in waiting
                if m.status == PartnershipMember.Status.INVITED
                and permissions.acts_for_member(user, m)
            ],
            **kwargs,
        )


class ConsortiumAnswerView(LoginRequiredMixin, View):
    """``?ogloszenie=<number>`` from the partnership's page: demand's answer form for that open
    notice, the partnership's other active PES members named as consortium partners (the
    existing consortium answer: the answerer reviews them, each partner confirms)."""

    def get(self, request, slug):
        partnership = selectors.partnership_get(slug=slug)
        require("partnerships.answer_as_consortium", request.user, partnership)
        given = (request.GET.get("ogloszenie") or "").strip()
        # The notice's number, or the address of its page (…/potrzeby/123/).
        number = re.search(r"(\d+)/?(?:[?#].*)?$", given)
        notice = (
            demand_selectors.notice_list().qs.filter(pk=int(number[1])).first()
            if number and len(number[1]) < 12
            else None
        )
        if notice is None:
            messages.error(
                request,
                _(
                    "No demand notice open for answers was found by “%(given)s”: paste the "
                    "address of the notice's page or the number at its end."
                )
                % {"given": given[:80]},
            )
            return redirect(f"{partnership.get_absolute_url()}#demand-title")
        own = set(permissions.member_organisations_of(request.user, partnership))
        partners = [
            member.organisation_id
            for member in partnership.members.active()
            if member.kind == PartnershipMember.Kind.ORGANISATION
            and member.organisation_id not in own
        ]
        url = reverse("demand:answer-create", args=[notice.pk])
        return redirect(f"{url}?{urlencode([('partner', pk) for pk in partners])}")


def _coordinator_choices(user) -> list[tuple[str, str]]:
    from directory.permissions import verified_organisation_ids

    if roles.is_administrator(user):
        organisations = Organisation.objects.none()
        municipalities = Municipality.objects.filter(pk__in=roles.official_municipality_ids(user))
    else:
        organisations = Organisation.objects.filter(pk__in=verified_organisation_ids(user))
        municipalities = Municipality.objects.filter(pk__in=roles.official_municipality_ids(user))
    return [(f"o{o.pk}", o.name) for o in organisations.order_by("name")] + [
        (f"m{m.pk}", _("Municipality of %(name)s") % {"name": m.name})
        for m in municipalities.order_by("name")
    ]


class PartnershipCreateView(LoginRequiredMixin, FormView):
    template_name = "partnerships/partnership_form.html"
    form_class = PartnershipForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require("partnerships.create", request.user)
            self.coordinators = _coordinator_choices(request.user)
            if not self.coordinators:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "coordinators": self.coordinators}

    def form_valid(self, form):
        coordinator = form.cleaned_data["coordinator"]
        kwargs = form.service_kwargs()
        if coordinator.startswith("o"):
            kwargs["coordinator_organisation"] = Organisation.objects.get(pk=coordinator[1:])
        else:
            kwargs["coordinator_municipality"] = Municipality.objects.get(pk=coordinator[1:])
        try:
            partnership = services.partnership_create(actor=self.request.user, **kwargs)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The partnership has been created. Invite its members."))
        return redirect(partnership)


class PartnershipObjectMixin(LoginRequiredMixin):
    """The partnership of the URL, and ``permission`` checked on it."""

    permission = "partnerships.manage"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partnership = selectors.partnership_get(slug=kwargs["slug"])
        require(self.permission, request.user, self.partnership)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(partnership=self.partnership, **kwargs)


class PartnershipUpdateView(PartnershipObjectMixin, FormView):
    template_name = "partnerships/partnership_form.html"
    form_class = PartnershipForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.partnership}

    def form_valid(self, form):
        try:
            services.partnership_update(
                actor=self.request.user, partnership=self.partnership, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The changes have been saved."))
        return redirect(self.partnership)


class CharterDownloadView(View):
    """The charter is public, served as a download that cannot run anything."""

    def get(self, request, slug):
        partnership = selectors.partnership_get(slug=slug)
        if not partnership.charter:
            raise Http404
        return pdf_download(partnership.charter, filename=f"statut-{partnership.slug}.pdf")


class MemberInviteView(PartnershipObjectMixin, FormView):
    template_name = "partnerships/member_invite.html"
    form_class = InviteForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "departments": list(selectors.departments_of(partnership=self.partnership)),
            "themes": self.partnership.themes.all(),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            pending=selectors.pending_members(partnership=self.partnership), **kwargs
        )

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            member = services.member_invite(
                actor=self.request.user,
                partnership=self.partnership,
                kind=data["kind"],
                target=data["target"],
                role=data["role"],
                themes=data["themes"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(member)s has been invited; it joins once its people accept.")
            % {"member": member.display_name},
        )
        return redirect("partnerships:member-invite", slug=self.partnership.slug)


class JoinRequestView(PartnershipObjectMixin, FormView):
    permission = "partnerships.request_membership"
    template_name = "partnerships/join_form.html"
    form_class = JoinForm

    def get_form_kwargs(self):
        self.candidates = selectors.join_candidates(
            user=self.request.user,
            partnership=self.partnership,
            acting=permissions.acting_for(self.request.user),
        )
        return {
            **super().get_form_kwargs(),
            "candidates": self.candidates,
            "themes": self.partnership.themes.all(),
        }

    def form_valid(self, form):
        kind, target = form.cleaned_data["member"]
        try:
            services.member_request(
                actor=self.request.user,
                partnership=self.partnership,
                kind=kind,
                target=target,
                themes=form.cleaned_data["themes"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your request has been sent; the coordinator will answer it.")
        )
        return redirect(self.partnership)


class MemberDecisionView(LoginRequiredMixin, View):
    """Accept or decline: an invitation (the member's people) or a request (the coordinator)."""

    def post(self, request, pk):
        member = selectors.member_get(pk=pk)
        if not (
            has_permission("partnerships.answer_invitation", request.user, member)
            or has_permission("partnerships.decide_request", request.user, member)
        ):
            raise Http404
        accept = request.POST.get("decision") == "accept"
        try:
            if accept:
                services.member_accept(actor=request.user, member=member)
                messages.success(
                    request,
                    _("%(member)s is now a member of the partnership.")
                    % {"member": member.display_name},
                )
            else:
                services.member_decline(actor=request.user, member=member)
                messages.success(request, _("Declined."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(member.partnership)


class MemberLeaveView(LoginRequiredMixin, FormView):
    template_name = "partnerships/member_leave.html"
    form_class = LeaveForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.member = selectors.member_get(pk=kwargs["pk"])
        if not has_permission("partnerships.end_membership", request.user, self.member):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)

    def form_valid(self, form):
        try:
            services.member_end(
                actor=self.request.user, member=self.member, left_on=form.cleaned_data["left_on"]
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The leaving has been recorded."))
        return redirect(self.member.partnership)


class MeetingListView(PartnershipObjectMixin, TemplateView):
    permission = "partnerships.see_meetings"
    template_name = "partnerships/meeting_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meetings=selectors.meetings_for(partnership=self.partnership, see_all=True),
            may_manage=has_permission("partnerships.manage", self.request.user, self.partnership),
            **kwargs,
        )


class MeetingDetailView(TemplateView):
    template_name = "partnerships/meeting_detail.html"

    def get_context_data(self, **kwargs):
        meeting = selectors.meeting_get(pk=kwargs["pk"])
        if not has_permission("partnerships.see_meeting", self.request.user, meeting):
            raise Http404
        return super().get_context_data(
            meeting=meeting,
            partnership=meeting.partnership,
            may_edit=has_permission("partnerships.edit_meeting", self.request.user, meeting),
            **kwargs,
        )


class MeetingFormView(LoginRequiredMixin, FormView):
    """A new meeting (``new``: the URL names the partnership) or a change of one."""

    template_name = "partnerships/meeting_form.html"
    form_class = MeetingForm
    new = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.new:
            partnership = selectors.partnership_get(slug=kwargs["slug"])
            self.meeting = Meeting(partnership=partnership)
        else:
            self.meeting = selectors.meeting_get(pk=kwargs["pk"])
        require("partnerships.edit_meeting", request.user, self.meeting)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.meeting}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting=self.meeting, partnership=self.meeting.partnership, **kwargs
        )

    def form_valid(self, form):
        try:
            meeting = services.meeting_save(
                actor=self.request.user, meeting=self.meeting, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The meeting has been saved."))
        return redirect(meeting)


# --- exports -----------------------------------------------------------------------------------


class PartnershipExportView(ListExportView):
    filename = "partnerstwa"
    title = gettext_lazy("Partnerships")
    columns = (
        Column(gettext_lazy("Name"), lambda p: p.name),
        Column(gettext_lazy("Kind"), lambda p: p.get_kind_display()),
        Column(gettext_lazy("Coordinator"), lambda p: p.coordinator_name),
        Column(gettext_lazy("Themes"), lambda p: ", ".join(t.name for t in p.themes.all())),
        Column(gettext_lazy("Territory"), lambda p: ", ".join(m.name for m in p.territory.all())),
        Column(gettext_lazy("Members"), lambda p: len(p.active_members), "number"),
    )

    def get_rows(self):
        return selectors.export_rows(filters=self.request.GET)


class MemberExportView(ListExportView):
    title = gettext_lazy("Members")
    columns = (
        Column(gettext_lazy("Member"), lambda m: m.display_name),
        Column(gettext_lazy("Kind"), lambda m: m.get_kind_display()),
        Column(gettext_lazy("Role"), lambda m: m.get_role_display()),
        Column(gettext_lazy("Themes"), lambda m: ", ".join(t.name for t in m.themes.all())),
        Column(gettext_lazy("Joined on"), lambda m: m.joined_on, "date"),
    )

    def get_filename(self):
        return f"czlonkowie-{self.partnership.slug}"

    def get_rows(self):
        self.partnership = selectors.partnership_get(slug=self.kwargs["slug"])
        return selectors.member_export_rows(partnership=self.partnership)
