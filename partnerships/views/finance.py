"""Pages of the financial instrument: the public catalogue and totals, the eligibility check
and the requests of PES, the lenders' products, decisions, loans, repayments and the
monitoring of the ventures financed. A request is seen by its PES and its lender alone."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from pestor.exports import FORMATS, NUMBER, Column, export_response
from pestor.forms import apply_validation_error
from pestor.permissions import has_permission, require

from .. import eligibility, selectors, services
from ..forms import (
    DecisionForm,
    LoanForm,
    LoanRequestForm,
    ProductForm,
    RepaymentForm,
    VentureForm,
)
from ..models import Product


class ProductListView(TemplateView):
    template_name = "partnerships/finance/product_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        kind = self.request.GET.get("kind", "")
        lender = self.request.GET.get("lender", "")
        return super().get_context_data(
            products=selectors.product_list(kind=kind, lender=lender),
            kinds=Product.Kind.choices,
            lenders=selectors.lenders(),
            kind=kind,
            lender=lender,
            may_request=has_permission("finance.request", user),
            may_manage=has_permission("finance.manage_products", user),
            **kwargs,
        )


class ProductDetailView(TemplateView):
    template_name = "partnerships/finance/product_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        product = selectors.product_get(pk=kwargs["pk"])
        checks = [
            {"organisation": organisation, "reasons": eligibility.refusals(product, organisation)}
            for organisation in selectors.organisations_for_requests(user=user)
        ]
        return super().get_context_data(
            product=product,
            checks=checks,
            may_edit=has_permission("finance.edit_product", user, product),
            **kwargs,
        )


class EligibilityView(LoginRequiredMixin, TemplateView):
    template_name = "partnerships/finance/eligibility.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require("finance.request", request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            table=selectors.eligibility_table(user=self.request.user), **kwargs
        )


class ProductFormView(LoginRequiredMixin, FormView):
    """A lender's staff add a product (``new``) or change one of their lender's."""

    template_name = "partnerships/finance/product_form.html"
    form_class = ProductForm
    new = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.new:
            require("finance.manage_products", request.user)
            self.product = Product()
        else:
            self.product = selectors.product_get(pk=kwargs["pk"])
            require("finance.edit_product", request.user, self.product)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.product,
            "lenders": selectors.lenders_of_user(user=self.request.user),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(product=self.product, **kwargs)

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        if self.new:
            self.product.lender = data.pop("lender")
        try:
            product = services.product_save(actor=self.request.user, product=self.product, **data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The product has been saved."))
        return redirect(product)


class LoanRequestCreateView(LoginRequiredMixin, FormView):
    template_name = "partnerships/finance/request_form.html"
    form_class = LoanRequestForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require("finance.request", request.user)
        self.product = selectors.product_get(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        organisations = list(selectors.organisations_for_requests(user=self.request.user))
        return {
            **super().get_form_kwargs(),
            "organisations": organisations,
            "targets": selectors.purpose_targets(organisations=organisations),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(product=self.product, **kwargs)

    def form_valid(self, form):
        try:
            loan_request = services.request_submit(
                actor=self.request.user, product=self.product, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The request has been sent to the lender."))
        return redirect(loan_request)


class LoanRequestListView(LoginRequiredMixin, TemplateView):
    template_name = "partnerships/finance/request_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            requests=selectors.request_list_for_user(user=user)[:200],
            products=selectors.products_of_lenders(user=user),
            **kwargs,
        )


class LoanRequestDetailView(LoginRequiredMixin, TemplateView):
    """The request with the forms its PES and its lender may use next."""

    template_name = "partnerships/finance/request_detail.html"
    forms = {
        "decision": (DecisionForm, "finance.decide"),
        "loan": (LoanForm, "finance.record_loan"),
        "repayment": (RepaymentForm, "finance.record_repayment"),
        "venture": (VentureForm, "finance.report_venture"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.loan_request = selectors.request_get_for_user(user=request.user, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def _form(self, name, data=None):
        form_class, permission = self.forms[name]
        if not has_permission(permission, self.request.user, self.loan_request):
            return None
        kwargs = {"prefix": name, "data": data}
        if form_class is VentureForm:
            kwargs["instance"] = self.loan_request.loan
        return form_class(**kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        loan_request = self.loan_request
        for name in self.forms:
            context.setdefault(f"{name}_form", self._form(name))
        context.update(
            loan_request=loan_request,
            loan=getattr(loan_request, "loan", None) if loan_request.status == "granted" else None,
            repayments=selectors.repayments(loan_request=loan_request),
            may_withdraw=has_permission("finance.withdraw", self.request.user, loan_request),
            purpose_target=selectors.purpose_target(loan_request=loan_request),
        )
        return context

    def post(self, request, *args, **kwargs):
        name = request.POST.get("part", "")
        if name == "withdraw":
            require("finance.withdraw", request.user, self.loan_request)
            services.request_withdraw(actor=request.user, loan_request=self.loan_request)
            messages.success(request, _("The request has been withdrawn."))
            return redirect(self.loan_request)
        if name not in self.forms:
            raise Http404
        form = self._form(name, data=request.POST)
        if form is None:
            if name == "repayment":
                # A repayment on a request without a granted loan (declined, withdrawn): the
                # lender is told why, and nothing is recorded.
                messages.error(request, services.repayment_refusal(self.loan_request))
                return redirect(self.loan_request)
            raise Http404
        if form.is_valid():
            try:
                self._save(name, form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(self.loan_request)
        return self.render_to_response(self.get_context_data(**{f"{name}_form": form}))

    def _save(self, name, data):
        actor, loan_request = self.request.user, self.loan_request
        if name == "decision":
            if data["decision"] == "accept":
                services.request_accept(
                    actor=actor, loan_request=loan_request, reason=data["reason"]
                )
            else:
                services.request_decline(
                    actor=actor, loan_request=loan_request, reason=data["reason"]
                )
        elif name == "loan":
            services.loan_record(actor=actor, loan_request=loan_request, **data)
        elif name == "repayment":
            services.repayment_record(actor=actor, loan_request=loan_request, **data)
        else:
            services.venture_report(actor=actor, loan=loan_request.loan, **data)


class FinanceTotalsView(TemplateView):
    """The public totals: never one PES's finances (small groups are suppressed)."""

    template_name = "partnerships/finance/totals.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            totals=selectors.finance_totals(),
            threshold=selectors.TOTALS_MIN_ORGANISATIONS,
            **kwargs,
        )


def _hidden(value, row):
    return None if row["suppressed"] else value


TOTALS_COLUMNS = (
    Column(gettext_lazy("Product kind"), lambda row: row["label"]),
    Column(gettext_lazy("Loans granted"), lambda row: _hidden(row["loans"], row), NUMBER),
    Column(gettext_lazy("Value (PLN)"), lambda row: _hidden(row["value"], row), NUMBER),
    Column(gettext_lazy("Repaid (PLN)"), lambda row: _hidden(row["repaid"], row), NUMBER),
    Column(
        gettext_lazy("Repayment rate (%)"),
        lambda row: _hidden(row["repayment_rate"], row),
        NUMBER,
    ),
    Column(
        gettext_lazy("Jobs created for excluded persons"),
        lambda row: _hidden(row["jobs_created"], row),
        NUMBER,
    ),
    Column(
        gettext_lazy("Jobs kept for excluded persons"),
        lambda row: _hidden(row["jobs_kept"], row),
        NUMBER,
    ),
)


class FinanceTotalsExportView(View):
    def get(self, request, fmt):
        if fmt not in FORMATS:
            raise Http404
        totals = selectors.finance_totals()
        rows = [*totals["by_kind"], {"label": _("All"), **totals["total"]}]
        return export_response(
            rows=rows,
            columns=TOTALS_COLUMNS,
            filename="finansowanie-pes-sumy",
            fmt=fmt,
            title=_("Repayable finance"),
        )
