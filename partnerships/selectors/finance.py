"""Reads of the financial instrument: the public catalogue, eligibility for a PES, requests
scoped to the PES and the lender, and the public totals (never one PES's finances: a group of
fewer than TOTALS_MIN_ORGANISATIONS organisations is suppressed)."""

import re
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from directory.models import Organisation

from .. import eligibility, permissions, purposes
from ..models import Lender, Loan, LoanRequest, Product

# A group of the public totals with fewer organisations than this is not shown: its figures
# would tell one PES's finances.
TOTALS_MIN_ORGANISATIONS = 3


def product_list(*, kind: str = "", lender: str = "") -> QuerySet:
    products = Product.objects.filter(is_active=True).select_related("lender")
    if kind in Product.Kind.values:
        products = products.filter(kind=kind)
    # A slug from the query string, matched only when it could be one (PostgreSQL refuses
    # some characters outright, e.g. a NUL byte).
    if lender and re.fullmatch(r"[-a-z0-9_]{1,120}", lender):
        products = products.filter(lender__slug=lender)
    return products.order_by("kind", "name", "pk")


def lenders() -> QuerySet:
    return Lender.objects.order_by("name")


def product_get(*, pk: int) -> Product:
    return get_object_or_404(Product.objects.select_related("lender"), pk=pk)


def products_of_lenders(*, user) -> QuerySet:
    return (
        Product.objects.filter(lender_id__in=permissions.lender_ids(user))
        .select_related("lender")
        .order_by("lender__name", "name")
    )


def lenders_of_user(*, user) -> QuerySet:
    return Lender.objects.filter(pk__in=permissions.lender_ids(user)).order_by("name")


def organisations_for_requests(*, user) -> QuerySet:
    """The verified organisations the user works for (who may ask for finance)."""
    from directory.permissions import verified_organisation_ids

    return Organisation.objects.filter(pk__in=verified_organisation_ids(user)).order_by("name")


def eligibility_table(*, user) -> list[dict]:
    """For each of the user's organisations, each product offered: yes, or the reasons."""
    products = list(product_list())
    return [
        {
            "organisation": organisation,
            "products": [
                {"product": product, "reasons": eligibility.refusals(product, organisation)}
                for product in products
            ],
        }
        for organisation in organisations_for_requests(user=user)
    ]


def _requests() -> QuerySet:
    return LoanRequest.objects.select_related("product", "product__lender", "organisation", "loan")


def request_list_for_user(*, user) -> QuerySet:
    """The requests of the user's organisations and to the user's lenders' products."""
    from directory.permissions import membership_roles

    return _requests().filter(
        Q(organisation_id__in=list(membership_roles(user)))
        | Q(product__lender_id__in=permissions.lender_ids(user))
    )


def request_get_for_user(*, user, pk: int) -> LoanRequest:
    """One request the user may see; a missing and a forbidden one are the same 404."""
    return get_object_or_404(request_list_for_user(user=user), pk=pk)


def purpose_targets(*, organisations) -> dict:
    """``{organisation: [purposes.Target, …]}``: what each organisation's request may be about
    (a few queries per organisation; a PES person has one or two)."""
    return {organisation: purposes.targets(organisation) for organisation in organisations}


def purpose_target(*, loan_request: LoanRequest):
    return purposes.target_of(loan_request)


def repayments(*, loan_request: LoanRequest) -> QuerySet:
    loan = getattr(loan_request, "loan", None) if loan_request.status == "granted" else None
    return loan.repayments.all() if loan else []


# --- the public totals and the indicators ------------------------------------------------------


def _totals_row(loans: QuerySet) -> dict:
    row = loans.aggregate(
        loans=Count("pk"),
        organisations=Count("organisation", distinct=True),
        value=Sum("amount"),
        repaid=Sum("repaid"),
        jobs_created=Sum("jobs_created"),
        jobs_kept=Sum("jobs_kept"),
    )
    value = row["value"] or Decimal(0)
    repaid = row["repaid"] or Decimal(0)
    row.update(
        value=value,
        repaid=repaid,
        jobs_created=row["jobs_created"] or 0,
        jobs_kept=row["jobs_kept"] or 0,
        repayment_rate=(100 * repaid / value).quantize(Decimal("0.1")) if value else None,
        suppressed=row["organisations"] < TOTALS_MIN_ORGANISATIONS,
    )
    return row


TOTALS_CACHE_KEY = "partnerships:finance-totals:v1"


def finance_totals() -> dict:
    """The totals of the loans granted, overall and by product kind, with each group of fewer
    than TOTALS_MIN_ORGANISATIONS organisations suppressed: aggregates over the whole loan
    table, so kept in Django's cache as the home page's figures are (every process shares the
    entry). The services forget them when a loan, a repayment or a venture report is committed
    (:func:`finance_totals_forget`); the entry lives at most ``HOME_FIGURES_MAX_AGE`` seconds
    besides, for the rows that go without a service (an organisation's deletion). The labels
    are added on reading, in the request's language."""
    totals = cache.get(TOTALS_CACHE_KEY)
    if totals is None:
        totals = _finance_totals()
        cache.set(TOTALS_CACHE_KEY, totals, timeout=settings.HOME_FIGURES_MAX_AGE)
    labels = dict(Product.Kind.choices)
    return {
        "total": totals["total"],
        "by_kind": [{"label": labels[row["kind"]], **row} for row in totals["by_kind"]],
    }


def finance_totals_forget() -> None:
    cache.delete(TOTALS_CACHE_KEY)


def _finance_totals() -> dict:
    """One query per group (a handful)."""
    loans = Loan.objects.all()
    by_kind = []
    for kind in Product.Kind.values:
        row = _totals_row(loans.filter(product_kind=kind))
        if row["loans"]:
            by_kind.append({"kind": kind, **row})
    return {"total": _totals_row(loans), "by_kind": by_kind}


def _loans_in(municipality, start: date, end: date) -> QuerySet:
    municipality_id = getattr(municipality, "pk", municipality)
    return Loan.objects.filter(
        municipality_id=municipality_id, granted_on__gte=start, granted_on__lte=end
    )


def indicator_loans_granted(*, municipality, start: date, end: date) -> int:
    """Loans (guarantees, leasing) granted to PES seated in the municipality in the period."""
    return _loans_in(municipality, start, end).count()


def indicator_loans_value(*, municipality, start: date, end: date) -> Decimal:
    value = _loans_in(municipality, start, end).aggregate(total=Sum("amount"))["total"]
    return (value or Decimal(0)).quantize(Decimal("0.01"))


def indicator_repayment_rate(*, municipality, start: date, end: date) -> Decimal | None:
    """Share (%) of the value of the period's loans repaid so far."""
    row = _loans_in(municipality, start, end).aggregate(value=Sum("amount"), repaid=Sum("repaid"))
    if not row["value"]:
        return None
    return (100 * (row["repaid"] or 0) / row["value"]).quantize(Decimal("0.1"))


def indicator_jobs(*, municipality, start: date, end: date) -> int:
    """Jobs for excluded persons created or kept by the ventures financed in the period."""
    row = _loans_in(municipality, start, end).aggregate(
        created=Sum("jobs_created"), kept=Sum("jobs_kept")
    )
    return (row["created"] or 0) + (row["kept"] or 0)
