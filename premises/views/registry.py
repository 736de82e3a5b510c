"""The registry's pages: the public list and map, a premises' page, the officials' forms, and
the discount policy's public page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View

from pestor.documents import pdf_download
from pestor.forms import apply_validation_error
from pestor.maps import MapPageMixin, parse_bbox
from pestor.models import Municipality
from pestor.pagination import CappedPaginationMixin
from pestor.permissions import has_permission, require

from .. import selectors, services
from ..forms import PhotoForm, PlanForm, PolicyForm, PremisesForm, StatusForm


class FilteredPremisesMixin(CappedPaginationMixin):
    def get_filterset(self):
        if not hasattr(self, "filterset"):
            self.filterset = selectors.premises_list(filters=self.request.GET)
        return self.filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter=self.get_filterset(), query_without_page=query.urlencode())
        return context


class PremisesListView(MapPageMixin, FilteredPremisesMixin, ListView):
    """The registry as a map (the GeoJSON endpoint's points of the visible area) and, beside
    it, the paginated table that is its text equivalent and works without JavaScript."""

    template_name = "premises/premises_list.html"
    geojson_url_name = "premises:premises-geojson"
    municipality_zoom = 12
    paginate_by = 50
    context_object_name = "premises_list"

    def get_queryset(self):
        return self.get_filterset().qs

    def get_page_rows(self, keys):
        return selectors.premises_rows(keys)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["may_manage"] = has_permission("premises.manage", self.request.user)
        return context


class PremisesGeoJsonView(View):
    """The premises within ``bbox`` with the list's filters, at most 1000 points; a bad
    ``bbox`` or filter is a 400 with a message."""

    def get(self, request, *args, **kwargs):
        try:
            bbox = parse_bbox(request.GET.get("bbox", ""))
        except ValueError as error:
            return JsonResponse({"error": str(error)}, status=400)
        filterset = selectors.premises_list(filters=request.GET)
        if not filterset.form.is_valid():
            return JsonResponse(
                {"error": _("Check the filters."), "errors": filterset.form.errors.get_json_data()},
                status=400,
            )
        return JsonResponse(
            selectors.premises_map_features(filterset.qs, bbox=bbox, filters=request.GET)
        )


class PremisesDetailView(TemplateView):
    template_name = "premises/premises_detail.html"

    def get_context_data(self, **kwargs):
        premises = selectors.premises_get_public(user=self.request.user, pk=self.kwargs["pk"])
        user = self.request.user
        may_manage = has_permission("premises.manage_premises", user, premises)
        lease = selectors.current_lease(premises=premises)
        return super().get_context_data(
            premises=premises,
            photos=list(premises.photos.all()),
            lease=lease,
            support=selectors.premises_support(premises=premises),
            calls=list(premises.calls.exclude(status="draft").order_by("-opens_at")[:5]),
            history=list(premises.status_history.all()[:20]) if may_manage else [],
            may_manage=may_manage,
            points=[
                {
                    "name": premises.address,
                    "url": premises.get_absolute_url(),
                    "lat": float(premises.latitude),
                    "lon": float(premises.longitude),
                    "address": premises.address,
                }
            ]
            if premises.has_position
            else [],
            **kwargs,
        )


class PremisesPlanView(View):
    def get(self, request, pk):
        premises = selectors.premises_get_public(user=request.user, pk=pk)
        if not premises.plan:
            raise Http404
        return pdf_download(premises.plan, filename=f"plan-lokalu-{premises.pk}.pdf")


class PremisesCreateView(LoginRequiredMixin, FormView):
    template_name = "premises/premises_form.html"
    form_class = PremisesForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require("premises.manage", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": selectors.units_for(user=self.request.user)}

    def form_valid(self, form):
        try:
            premises = services.premises_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The premises have been added to the registry."))
        return redirect(premises)


class ManagedPremisesMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.premises = selectors.premises_get_for_manager(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(premises=self.premises, **kwargs)


class PremisesUpdateView(ManagedPremisesMixin, FormView):
    template_name = "premises/premises_form.html"
    form_class = PremisesForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": selectors.units_for(user=self.request.user)}

    def get_initial(self):
        names = PremisesForm.base_fields
        return {name: getattr(self.premises, name) for name in names}

    def form_valid(self, form):
        try:
            services.premises_update(
                premises=self.premises, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The premises have been saved."))
        return redirect(self.premises)


class PremisesStatusView(ManagedPremisesMixin, FormView):
    template_name = "premises/premises_status.html"
    form_class = StatusForm

    def form_valid(self, form):
        try:
            services.premises_change_status(
                premises=self.premises, actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The status has been changed."))
        return redirect(self.premises)


class PremisesPhotosView(ManagedPremisesMixin, FormView):
    """The premises' photos and plan, and forms to add them (its officials)."""

    template_name = "premises/premises_photos.html"
    form_class = PhotoForm

    def get_context_data(self, **kwargs):
        kwargs.setdefault("plan_form", PlanForm())
        return super().get_context_data(photos=list(self.premises.photos.all()), **kwargs)

    def post(self, request, *args, **kwargs):
        if "plan" in request.FILES or "upload_plan" in request.POST:
            plan_form = PlanForm(request.POST, request.FILES)
            if plan_form.is_valid():
                try:
                    services.premises_plan_set(
                        premises=self.premises,
                        actor=request.user,
                        file=plan_form.cleaned_data["plan"],
                    )
                except ValidationError as error:
                    apply_validation_error(plan_form, error)
                else:
                    messages.success(request, _("The plan has been added."))
                    return redirect("premises:premises-photos", pk=self.premises.pk)
            return self.render_to_response(
                self.get_context_data(form=PhotoForm(), plan_form=plan_form)
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.premises_photo_add(
                premises=self.premises,
                actor=self.request.user,
                image=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The photo has been added."))
        return redirect("premises:premises-photos", pk=self.premises.pk)


class PremisesPhotoRemoveView(ManagedPremisesMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        photo = get_object_or_404(self.premises.photos.all(), pk=kwargs["photo_pk"])
        try:
            services.premises_photo_remove(photo=photo, actor=request.user)
        except ValidationError:
            raise PermissionDenied from None
        messages.success(request, _("The photo has been removed."))
        return redirect("premises:premises-photos", pk=self.premises.pk)


class PolicyListView(TemplateView):
    template_name = "premises/policy_list.html"

    def get_context_data(self, **kwargs):
        policies = list(selectors.policies())
        return super().get_context_data(policies=policies, **kwargs)

    def get(self, request, *args, **kwargs):
        policies = list(selectors.policies()[:2])
        if len(policies) == 1:
            return redirect("premises:policy-detail", slug=policies[0].municipality.slug)
        return super().get(request, *args, **kwargs)


class PolicyDetailView(TemplateView):
    """The policy in plain Polish, generated from the same rows that compute discounts."""

    template_name = "premises/policy_detail.html"

    def get_context_data(self, **kwargs):
        municipality = get_object_or_404(Municipality, slug=self.kwargs["slug"])
        policy = selectors.policy_get(municipality=municipality)
        if policy is None:
            raise Http404
        return super().get_context_data(
            municipality=municipality,
            policy=policy,
            text=selectors.policy_text(policy),
            history=selectors.policy_history(policy=policy),
            may_edit=has_permission("premises.edit_policy", self.request.user, municipality),
            **kwargs,
        )


class PolicyUpdateView(LoginRequiredMixin, FormView):
    """The officials allowed to change the municipality's rules edit them here; every change
    is kept as a version with its reason, listed on the policy page."""

    template_name = "premises/policy_form.html"
    form_class = PolicyForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.municipality = get_object_or_404(Municipality, slug=kwargs["slug"])
        require("premises.edit_policy", request.user, self.municipality)
        self.policy = selectors.policy_get(municipality=self.municipality)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "spheres": selectors.spheres()}

    def get_initial(self):
        return PolicyForm.initial_for(self.policy) if self.policy else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            municipality=self.municipality, policy=self.policy, **kwargs
        )

    def form_valid(self, form):
        try:
            services.policy_change(
                municipality=self.municipality,
                actor=self.request.user,
                reason=form.cleaned_data["reason"],
                **form.rules(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The rules have been changed; the change is recorded."))
        return redirect("premises:policy-detail", self.municipality.slug)
