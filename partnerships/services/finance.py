"""Writes of the financial instrument: products kept by the lenders' staff, requests of PES,
the lender's decision, the loan, repayments and the monitoring of the venture. Each is one
transaction and leaves an event in the log (pestor.audit); the event's target is the request
or the product, which only the PES and the lender see."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from pestor import audit

from .. import eligibility, purposes, selectors
from ..models import Loan, LoanRequest, Product, Repayment


def money(value) -> str:
    """An amount as the pages write it (Polish: "5 000,00")."""
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


PRODUCT_FIELDS = (
    "name",
    "kind",
    "amount_min",
    "amount_max",
    "term_months",
    "interest_rate",
    "collateral",
    "legal_forms",
    "min_age_years",
    "requires_social_enterprise",
    "purposes",
    "how_to_apply",
    "is_active",
)
VENTURE_FIELDS = ("public_task", "jobs_created", "jobs_kept", "turnover_before", "turnover_after")


@transaction.atomic
def product_save(*, actor, product: Product, **fields) -> Product:
    created = product.pk is None
    before = {} if created else audit.snapshot(product, PRODUCT_FIELDS)
    for name in PRODUCT_FIELDS:
        if name in fields:
            setattr(product, name, fields[name])
    product.full_clean()
    product.save()
    audit.record(
        actor=actor,
        action="finance.product_created" if created else "finance.product_changed",
        target=product,
        before=before,
        after=audit.snapshot(product, PRODUCT_FIELDS),
    )
    return product


@transaction.atomic
def request_submit(
    *, actor, product: Product, organisation, amount, need, purpose_kind, purpose, purpose_ref=None
) -> LoanRequest:
    """A PES asks for a product: only when eligible, for an amount within the product's range;
    its purpose may be about a notice it won, a grant or a premises call of its own."""
    reasons = eligibility.refusals(product, organisation)
    if reasons:
        raise ValidationError(reasons, code="not_eligible")
    if amount is None or not (product.amount_min <= amount <= product.amount_max):
        raise ValidationError(
            {
                "amount": _("Give an amount between %(min)s and %(max)s zł.")
                % {"min": money(product.amount_min), "max": money(product.amount_max)}
            },
            code="amount_out_of_range",
        )
    if purpose_ref is not None and not any(
        target.kind == purpose_kind and target.pk == purpose_ref
        for target in purposes.targets(organisation)
    ):
        raise ValidationError(
            {
                "purpose_ref": _(
                    "Choose a notice won, a grant or a premises call of %(name)s of the kind "
                    "of the purpose."
                )
                % {"name": organisation.name}
            },
            code="purpose_not_of_organisation",
        )
    loan_request = LoanRequest(
        product=product,
        organisation=organisation,
        amount=amount,
        need=need,
        purpose_kind=purpose_kind,
        purpose=purpose,
        purpose_ref=purpose_ref,
        requested_by=actor,
    )
    loan_request.full_clean()
    loan_request.save()
    audit.record(
        actor=actor,
        action="finance.request_submitted",
        target=loan_request,
        after={"amount": str(amount), "product": product.name},
    )
    return loan_request


def _locked(loan_request: LoanRequest) -> LoanRequest:
    return LoanRequest.objects.select_for_update().select_related("product").get(pk=loan_request.pk)


def _decide(actor, loan_request, status, reason, action):
    loan_request = _locked(loan_request)
    if loan_request.status != LoanRequest.Status.SUBMITTED:
        raise ValidationError(_("This request has already been decided."), code="decided")
    loan_request.status = status
    loan_request.decision_reason = reason
    loan_request.decided_at = timezone.now()
    loan_request.full_clean()
    loan_request.save(update_fields=["status", "decision_reason", "decided_at"])
    audit.record(
        actor=actor, action=action, target=loan_request, after={"status": status, "reason": reason}
    )
    return loan_request


@transaction.atomic
def request_accept(*, actor, loan_request: LoanRequest, reason: str = "") -> LoanRequest:
    return _decide(actor, loan_request, LoanRequest.Status.ACCEPTED, reason, "finance.accepted")


@transaction.atomic
def request_decline(*, actor, loan_request: LoanRequest, reason: str) -> LoanRequest:
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Say why the request is declined; the PES reads it.")}, code="no_reason"
        )
    return _decide(actor, loan_request, LoanRequest.Status.DECLINED, reason, "finance.declined")


@transaction.atomic
def request_withdraw(*, actor, loan_request: LoanRequest) -> LoanRequest:
    loan_request = _locked(loan_request)
    if loan_request.status not in (LoanRequest.Status.SUBMITTED, LoanRequest.Status.ACCEPTED):
        raise ValidationError(_("This request can no longer be withdrawn."))
    loan_request.status = LoanRequest.Status.WITHDRAWN
    loan_request.save(update_fields=["status"])
    audit.record(actor=actor, action="finance.withdrawn", target=loan_request)
    return loan_request


@transaction.atomic
def loan_record(
    *, actor, loan_request: LoanRequest, amount, granted_on, due_on, schedule=""
) -> Loan:
    """The lender records the loan granted on an accepted request."""
    loan_request = _locked(loan_request)
    if loan_request.status != LoanRequest.Status.ACCEPTED:
        raise ValidationError(
            _("A loan is recorded only on an accepted request."), code="not_accepted"
        )
    product = loan_request.product
    if amount is None or not (product.amount_min <= amount <= product.amount_max):
        raise ValidationError(
            {
                "amount": _("Give an amount between %(min)s and %(max)s zł.")
                % {"min": money(product.amount_min), "max": money(product.amount_max)}
            }
        )
    organisation = loan_request.organisation
    loan = Loan(
        request=loan_request,
        amount=amount,
        granted_on=granted_on,
        due_on=due_on,
        schedule=schedule,
        organisation=organisation,
        product_kind=product.kind,
        municipality_id=organisation.seat_municipality_id,
    )
    loan.full_clean()
    loan.save()
    loan_request.status = LoanRequest.Status.GRANTED
    loan_request.save(update_fields=["status"])
    transaction.on_commit(selectors.finance_totals_forget)
    audit.record(
        actor=actor,
        action="finance.loan_granted",
        target=loan_request,
        after={"amount": str(amount), "granted_on": granted_on.isoformat()},
    )
    return loan


def repayment_refusal(loan_request: LoanRequest) -> str:
    return _("Repayments are recorded only for a granted loan; this request is %(status)s.") % {
        "status": loan_request.get_status_display()
    }


@transaction.atomic
def repayment_record(*, actor, loan_request: LoanRequest, paid_on, amount) -> Repayment:
    """A repayment of a granted loan: never more than what is outstanding."""
    loan_request = _locked(loan_request)
    if loan_request.status != LoanRequest.Status.GRANTED:
        raise ValidationError(repayment_refusal(loan_request), code="not_granted")
    loan = Loan.objects.select_for_update().get(request=loan_request)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Give an amount greater than zero.")})
    if amount > loan.outstanding:
        raise ValidationError(
            {
                "amount": _("Only %(outstanding)s zł is outstanding.")
                % {"outstanding": money(loan.outstanding)}
            },
            code="too_much",
        )
    if paid_on < loan.granted_on or paid_on > timezone.localdate():
        raise ValidationError(
            {"paid_on": _("The date must be between the grant of the loan and today.")}
        )
    repayment = Repayment(loan=loan, paid_on=paid_on, amount=amount)
    repayment.full_clean()
    repayment.save()
    Loan.objects.filter(pk=loan.pk).update(repaid=F("repaid") + Decimal(amount))
    transaction.on_commit(selectors.finance_totals_forget)
    audit.record(
        actor=actor,
        action="finance.repayment",
        target=loan_request,
        after={"amount": str(amount), "paid_on": paid_on.isoformat()},
    )
    return repayment


@transaction.atomic
def venture_report(*, actor, loan: Loan, **fields) -> Loan:
    """The monitoring of the venture financed: jobs, turnover, the public task."""
    before = audit.snapshot(loan, VENTURE_FIELDS)
    for name in VENTURE_FIELDS:
        if name in fields:
            setattr(loan, name, fields[name])
    loan.full_clean()
    loan.save(update_fields=list(VENTURE_FIELDS))
    transaction.on_commit(selectors.finance_totals_forget)
    audit.record(
        actor=actor,
        action="finance.venture_reported",
        target=loan.request,
        before=before,
        after=audit.snapshot(loan, VENTURE_FIELDS),
    )
    return loan
