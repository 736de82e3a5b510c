"""Glue between HTTP and the committee's services: permission → form → service → response.

Every panel is fetched through ``selectors.panel_get_for_user`` (404 unless the user sits on it
or manages it) and every item through ``selectors.item_get`` (404 unless the panel's owner lists
it); a member who declared a conflict of interest with an item gets 404 for its sheet.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, View

from pestor import exports
from pestor.pagination import CappedPaginationMixin
from pestor.permissions import has_permission, require

from . import permissions, selectors, services
from .forms import DeclarationForm, MemberAddForm, SheetForm, apply_service_error
from .models import Member, points_text

PAGE_SIZE = 50  # items per page of the to-do list and of the results


class PanelListView(LoginRequiredMixin, CappedPaginationMixin, ListView):
    """The panels the signed-in user sits on."""

    template_name = "scoring/panel_list.html"
    context_object_name = "memberships"
    paginate_by = 20

    def get_queryset(self):
        return selectors.membership_list(user=self.request.user)


class PanelMixin(LoginRequiredMixin):
    """``self.panel`` (404 unless the user sits on it or manages it) and ``self.member`` (the
    user's seat, or None for a manager who does not score)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.panel = selectors.panel_get_for_user(user=request.user, pk=kwargs["pk"])
        self.member = permissions.membership(request.user, self.panel)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            panel=self.panel,
            member=self.member,
            may_manage=has_permission("scoring.manage_panel", user, self.panel),
            **kwargs,
        )


class PanelDetailView(PanelMixin, CappedPaginationMixin, ListView):
    """The member's to-do list, a page at a time: every item, declared or not, draft or
    submitted, with how many the member is done with."""

    template_name = "scoring/panel_detail.html"
    paginate_by = PAGE_SIZE
    estimate_count = False  # one panel's items: counted

    def get_queryset(self):
        if self.member is None:
            return selectors.panel_items(panel=self.panel).none()
        return selectors.member_todo_items(member=self.member)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        page = list(context["object_list"])
        context.update(
            rows=selectors.member_todo(member=self.member, items=page) if self.member else [],
            progress=(
                selectors.member_progress(member=self.member, keep=True) if self.member else None
            ),
            criteria=selectors.criteria_of(panel=self.panel),
            parts=selectors.panel_parts(panel=self.panel),
            may_see_results=has_permission("scoring.view_results", user, self.panel),
            may_close=has_permission("scoring.close_panel", user, self.panel),
        )
        return context


class ItemMixin(PanelMixin):
    """A member's page about one item of the panel."""

    def setup_item(self):
        if self.member is None:
            raise Http404
        # With the member's declaration and sheet (declaration_get, sheet_get): one query.
        self.item = selectors.item_get(panel=self.panel, pk=self.kwargs["item"], member=self.member)
        self.label = selectors.item_label(panel=self.panel, item=self.item)
        self.declaration = selectors.declaration_get(member=self.member, item=self.item)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            item=self.item, label=self.label, declaration=self.declaration, **kwargs
        )

    def sheet_url(self):
        return reverse("scoring:item-sheet", args=[self.panel.pk, self.item.pk])


class DeclarationView(ItemMixin, FormView):
    """Before seeing an item, the member declares whether they have a conflict of interest."""

    template_name = "scoring/declaration_form.html"
    form_class = DeclarationForm

    def get(self, request, *args, **kwargs):
        self.setup_item()
        if self.declaration is not None and not self.declaration.conflict:
            return redirect(self.sheet_url())
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_item()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            declaration = services.declaration_make(
                member=self.member,
                item=self.item,
                conflict=form.cleaned_data["conflict"],
                note=form.cleaned_data["note"],
                actor=self.request.user,
            )
        except ValidationError as error:
            apply_service_error(form, error)
            return self.form_invalid(form)
        if declaration.conflict:
            messages.success(
                self.request,
                _("Your conflict of interest is recorded; you will not score this item."),
            )
            return redirect(self.panel.get_absolute_url())
        return redirect(self.sheet_url())


class SheetView(ItemMixin, FormView):
    """The member's score sheet for one item, with the item's details and the running total."""

    template_name = "scoring/sheet_form.html"
    form_class = SheetForm

    def _prepare(self):
        self.setup_item()
        if self.declaration is None:
            return redirect("scoring:item-declare", self.panel.pk, self.item.pk)
        if self.declaration.conflict:
            raise Http404  # the member is excluded from this item: nothing of it is shown
        self.sheet = selectors.sheet_get(member=self.member, item=self.item)
        self.criteria = selectors.criteria_of(panel=self.panel)
        return None

    def get(self, request, *args, **kwargs):
        return self._prepare() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._prepare() or super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "criteria": self.criteria, "sheet": self.sheet}

    def _detail(self):
        owner_type = selectors.owner_type_of(self.panel)
        if owner_type.detail_template:
            return render_to_string(
                owner_type.detail_template,
                {"item": self.item, "panel": self.panel, "member": self.member},
                request=self.request,
            )
        if owner_type.detail:
            # Escaped unless the consumer built it as safe HTML (format_html, render_to_string).
            return conditional_escape(owner_type.detail(self.item, self.member))
        return ""

    def get_context_data(self, **kwargs):
        max_total = selectors.max_total(panel=self.panel)
        return super().get_context_data(
            sheet=self.sheet,
            detail=self._detail(),
            total=points_text(self.sheet.total),
            max_total=points_text(max_total) if max_total else "0",
            locked=self.sheet.is_submitted or not self.panel.is_open,
            others=selectors.others_scores(member=self.member, item=self.item, sheet=self.sheet),
            **kwargs,
        )

    def form_valid(self, form):
        submit = "submit" in self.request.POST
        try:
            services.scores_save(
                member=self.member,
                item=self.item,
                values=form.values(),
                submit=submit,
                actor=self.request.user,
            )
        except ValidationError as error:
            apply_service_error(form, error)
            return self.form_invalid(form)
        sheet = selectors.sheet_get(member=self.member, item=self.item)
        if submit:
            messages.success(
                self.request,
                _("Your scores for %(item)s are submitted: %(total)s points.")
                % {"item": self.label, "total": points_text(sheet.total)},
            )
            return redirect(self.panel.get_absolute_url())
        messages.success(
            self.request,
            _("Draft saved. Total so far: %(total)s points.") % {"total": points_text(sheet.total)},
        )
        return redirect(self.sheet_url())


class ResultsView(PanelMixin, CappedPaginationMixin, ListView):
    """Ranking with each criterion's mean, the parts' subtotals, the number of scorers and of
    excluded members, a page at a time; the items excluded from scoring listed apart."""

    template_name = "scoring/results.html"
    paginate_by = PAGE_SIZE
    context_object_name = "ranked"

    def get(self, request, *args, **kwargs):
        require("scoring.view_results", request.user, self.panel)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # The ranking needs every item's total; only the page shown is rendered.
        self.results = selectors.panel_results(panel=self.panel)
        return self.results.items

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            results=self.results,
            weighted=any(criterion.weight != 1 for criterion in self.results.criteria),
            may_close=has_permission("scoring.close_panel", self.request.user, self.panel),
            **kwargs,
        )


class ResultsExportView(PanelMixin, View):
    """Every member's points per criterion and the means, as CSV or XLSX (pestor.exports)."""

    def get(self, request, *args, fmt, **kwargs):
        require("scoring.view_results", request.user, self.panel)
        if fmt not in exports.FORMATS:
            raise Http404
        criteria = selectors.criteria_of(panel=self.panel)
        rows = selectors.export_rows(panel=self.panel, not_applicable_label=_("n/a"))
        mean_label = _("mean of the members")
        columns = [
            exports.Column(_("Rank"), lambda row: row.result.rank, exports.NUMBER),
            exports.Column(_("Item"), lambda row: row.result.label),
            exports.Column(_("Member"), lambda row: mean_label if row.is_mean else row.member),
            exports.Column(_("Role"), lambda row: row.role),
            exports.Column(
                _("Representative of a PES"),
                lambda row: (
                    ""
                    if row.represents_pes is None
                    else (_("yes") if row.represents_pes else _("no"))
                ),
            ),
        ]
        for index, criterion in enumerate(criteria):
            columns.append(
                exports.Column(
                    _("%(name)s (max %(max)s)")
                    % {"name": criterion.name, "max": points_text(criterion.max_points)},
                    lambda row, index=index: row.points[index],
                    exports.NUMBER,
                )
            )
        columns.append(exports.Column(_("Total"), lambda row: row.total, exports.NUMBER))
        for index, part in enumerate(selectors.panel_parts(panel=self.panel)):
            columns.append(
                exports.Column(
                    _("Subtotal: %(part)s") % {"part": part.name or _("other criteria")},
                    lambda row, index=index: row.subtotals[index],
                    exports.NUMBER,
                )
            )
        columns += [
            exports.Column(
                _("Scorers"),
                lambda row: row.result.scorers if row.is_mean else None,
                exports.NUMBER,
            ),
            exports.Column(_("Comments"), lambda row: row.comments),
        ]
        if selectors.excluded_items(panel=self.panel):
            columns.append(
                exports.Column(_("Excluded from scoring"), lambda row: row.excluded_reason)
            )
        return exports.export_response(
            rows=rows,
            columns=columns,
            filename=f"ocena-{self.panel.pk}",
            fmt=fmt,
            title=self.panel.title,
        )


class MembersView(PanelMixin, FormView):
    """The panel's managers add members (by the e-mail of their account) and remove them."""

    template_name = "scoring/members.html"
    form_class = MemberAddForm

    def get(self, request, *args, **kwargs):
        require("scoring.manage_panel", request.user, self.panel)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        require("scoring.change_members", request.user, self.panel)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            members=list(selectors.member_list(panel=self.panel)),
            may_change=has_permission("scoring.change_members", self.request.user, self.panel),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            member = services.member_add(
                panel=self.panel,
                user=form.user,
                role=form.cleaned_data["role"],
                represents_pes=form.cleaned_data["represents_pes"],
                actor=self.request.user,
            )
        except ValidationError as error:
            apply_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s now sits on the panel.") % {"name": member})
        return redirect("scoring:panel-members", self.panel.pk)


class MemberRemoveView(PanelMixin, View):
    def post(self, request, *args, **kwargs):
        require("scoring.change_members", request.user, self.panel)
        member = get_object_or_404(Member, panel=self.panel, pk=kwargs["member"])
        try:
            services.member_remove(member=member, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(name)s no longer sits on the panel.") % {"name": member})
        return redirect("scoring:panel-members", self.panel.pk)


class PanelCloseView(PanelMixin, View):
    def post(self, request, *args, **kwargs):
        require("scoring.close_panel", request.user, self.panel)
        try:
            services.panel_close(panel=self.panel, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Scoring is closed; the results are final."))
        return redirect("scoring:panel-results", self.panel.pk)
