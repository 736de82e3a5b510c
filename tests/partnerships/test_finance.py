"""The financial instrument (issue 15): the catalogue, eligibility with the reason for each
"no", requests seen by their PES and lender alone, decisions, loans, repayments, the monitoring
of ventures, the public totals that never show one PES's finances, and the indicators."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from directory.models import LegalForm
from partnerships import eligibility, selectors, services
from partnerships.models import LoanRequest, Product
from pestor.models import AuditEvent
from tests.directory.factories import OrganisationFactory
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db


def _request(product, organisation, amount="20000"):
    return services.request_submit(
        actor=None,
        product=product,
        organisation=organisation,
        amount=Decimal(amount),
        need="Prefinansowanie dotacji na usługi opiekuńcze.",
        purpose_kind="grant",
        purpose="Dotacja: usługi opiekuńcze 2026",
    )


def _granted(product, organisation, amount="20000"):
    loan_request = _request(product, organisation, amount)
    services.request_accept(actor=None, loan_request=loan_request)
    today = timezone.localdate()
    services.loan_record(
        actor=None,
        loan_request=loan_request,
        amount=Decimal(amount),
        granted_on=today - timedelta(days=30),
        due_on=today + timedelta(days=300),
    )
    loan_request.refresh_from_db()
    return loan_request


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_catalogue_and_the_totals(role, as_role, client, bridging_loan):
    as_role(role)
    assert client.get(reverse("finance:product-list")).status_code == 200
    assert client.get(bridging_loan.get_absolute_url()).status_code == 200
    assert client.get(reverse("finance:totals")).status_code == 200


ELIGIBILITY = dict.fromkeys(ROLES, 403) | {
    "resident": "login",
    "pes_owner": 200,
    "pes_editor": 200,
    "other_pes_member": 200,
}


@pytest.mark.parametrize(("role", "expected"), ELIGIBILITY.items())
def test_people_of_a_pes_check_eligibility_and_request(
    role, expected, as_role, client, bridging_loan, organisation
):
    as_role(role)
    assert outcome(client.get(reverse("finance:eligibility"))) == expected
    url = reverse("finance:request-create", args=[bridging_loan.pk])
    assert outcome(client.get(url)) == expected


def test_each_no_has_its_reason(bridging_loan, organisation):
    bridging_loan.legal_forms = [LegalForm.FOUNDATION]
    bridging_loan.min_age_years = 3
    bridging_loan.requires_social_enterprise = True
    bridging_loan.save()
    organisation.year_founded = timezone.localdate().year - 1
    organisation.is_social_enterprise = False
    reasons = eligibility.refusals(bridging_loan, organisation)
    assert len(reasons) == 3
    organisation.year_founded = None
    with translation.override("pl"):
        reasons = eligibility.refusals(bridging_loan, organisation)
    assert any("rok założenia" in reason for reason in reasons)


def test_the_eligibility_page_says_why_not_in_polish(client, pes_owner, bridging_loan):
    bridging_loan.requires_social_enterprise = True
    bridging_loan.save()
    client.force_login(pes_owner)
    page = client.get(reverse("finance:eligibility")).content.decode()
    assert "przedsiębiorstw społecznych" in page


def test_an_amount_outside_the_range_is_refused_and_kept(
    client, pes_owner, organisation, bridging_loan
):
    client.force_login(pes_owner)
    response = client.post(
        reverse("finance:request-create", args=[bridging_loan.pk]),
        {
            "organisation": organisation.pk,
            "amount": "250000",
            "need": "Za dużo",
            "purpose_kind": "grant",
            "purpose": "Dotacja",
        },
    )
    assert response.status_code == 200
    assert "zł" in " ".join(response.context["form"].errors["amount"])
    assert "250000" in response.content.decode()
    assert not LoanRequest.objects.exists()


# The request's detail: its PES and its lender alone; administrators neither.
SEE = dict.fromkeys(ROLES, 404) | {"resident": "login", "pes_owner": 200, "pes_editor": 200}


@pytest.mark.parametrize(("role", "expected"), SEE.items())
def test_a_request_is_seen_by_its_pes_and_lender_alone(
    role, expected, as_role, client, bridging_loan, organisation, pes_owner, pes_editor
):
    loan_request = _granted(bridging_loan, organisation)
    as_role(role)
    assert outcome(client.get(loan_request.get_absolute_url())) == expected
    page = client.get(reverse("finance:request-list")).content.decode()
    if expected == 200:
        assert loan_request.product.name in page
    elif role != "resident":
        assert loan_request.organisation.name not in page


def test_the_lender_sees_decides_grants_and_records_a_repayment(
    client, lender_staff, bridging_loan, organisation
):
    loan_request = _request(bridging_loan, organisation)
    client.force_login(lender_staff)
    url = loan_request.get_absolute_url()
    assert client.get(url).status_code == 200
    response = client.post(url, {"part": "decision", "decision-decision": "accept"})
    assert response.status_code == 302
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "part": "loan",
            "loan-amount": "20000",
            "loan-granted_on": today.isoformat(),
            "loan-due_on": (today + timedelta(days=365)).isoformat(),
            "loan-schedule": "12 rat",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {"part": "repayment", "repayment-paid_on": today.isoformat(), "repayment-amount": "2500"},
    )
    assert response.status_code == 302
    loan_request.refresh_from_db()
    assert loan_request.status == "granted"
    assert loan_request.loan.repaid == Decimal("2500")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"finance.accepted", "finance.loan_granted", "finance.repayment"} <= actions


@pytest.mark.parametrize("role", ROLES)
def test_nobody_but_the_lender_decides(role, as_role, client, bridging_loan, organisation):
    loan_request = _request(bridging_loan, organisation)
    as_role(role)
    response = client.post(
        loan_request.get_absolute_url(), {"part": "decision", "decision-decision": "accept"}
    )
    loan_request.refresh_from_db()
    assert loan_request.status == "submitted"
    assert outcome(response) in ("login", 404)


def test_declining_needs_a_reason(client, lender_staff, bridging_loan, organisation):
    loan_request = _request(bridging_loan, organisation)
    client.force_login(lender_staff)
    response = client.post(
        loan_request.get_absolute_url(), {"part": "decision", "decision-decision": "decline"}
    )
    assert response.status_code == 200
    assert "dlaczego" in response.content.decode().lower()
    loan_request.refresh_from_db()
    assert loan_request.status == "submitted"


def test_a_repayment_on_a_declined_request_is_refused(
    client, lender_staff, bridging_loan, organisation
):
    loan_request = _request(bridging_loan, organisation)
    services.request_decline(actor=None, loan_request=loan_request, reason="Brak zabezpieczenia.")
    client.force_login(lender_staff)
    response = client.post(
        loan_request.get_absolute_url(),
        {
            "part": "repayment",
            "repayment-paid_on": timezone.localdate().isoformat(),
            "repayment-amount": "100",
        },
        follow=True,
    )
    assert "odrzuc" in response.content.decode().lower()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="udzielonej"):
        services.repayment_record(
            actor=None, loan_request=loan_request, paid_on=timezone.localdate(), amount=Decimal(1)
        )


def test_a_repayment_beyond_what_is_outstanding_is_refused(bridging_loan, organisation):
    from django.core.exceptions import ValidationError

    loan_request = _granted(bridging_loan, organisation, "10000")
    with pytest.raises(ValidationError):
        services.repayment_record(
            actor=None,
            loan_request=loan_request,
            paid_on=timezone.localdate(),
            amount=Decimal("10000.01"),
        )


def test_the_lenders_staff_keep_their_products(client, lender_staff, bridging_loan, pes_owner):
    client.force_login(lender_staff)
    url = reverse("finance:product-update", args=[bridging_loan.pk])
    data = {
        "name": "Pożyczka pomostowa",
        "kind": "bridging_loan",
        "amount_min": "5000",
        "amount_max": "1000",
        "term_months": "24",
        "interest_rate": "2.5",
        "min_age_years": "0",
        "purposes": "Dotacje",
        "how_to_apply": "Przez portal",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["amount_max"]
    data["amount_max"] = "80000"
    assert client.post(url, data).status_code == 302
    bridging_loan.refresh_from_db()
    assert bridging_loan.amount_max == Decimal("80000")
    client.force_login(pes_owner)
    assert client.get(url).status_code == 403


def test_the_totals_suppress_small_groups_and_change_with_loans(
    client, bridging_loan, organisation, municipality, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _granted(bridging_loan, organisation, "20000")
    page = client.get(reverse("finance:totals")).content.decode()
    assert "20 000,00" not in page and "20000" not in page
    assert "za mało organizacji" in page
    with django_capture_on_commit_callbacks(execute=True):
        for _number in range(2):
            _granted(bridging_loan, OrganisationFactory(seat_municipality=municipality), "10000")
    totals = selectors.finance_totals()
    assert totals["total"]["loans"] == 3
    assert not totals["total"]["suppressed"]
    assert totals["total"]["value"] == Decimal("40000")
    page = client.get(reverse("finance:totals")).content.decode()
    assert "40" in page and "000,00" in page


def test_the_totals_are_kept_in_the_cache_until_a_loan_or_a_repayment_is_committed(
    bridging_loan, organisation, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        loan_request = _granted(bridging_loan, organisation, "20000")
    assert selectors.finance_totals()["total"]["value"] == Decimal("20000")
    with django_assert_num_queries(0):
        assert selectors.finance_totals()["by_kind"][0]["label"].startswith("pożyczka pomostowa")
    # Until the transaction commits, the other requests keep reading the kept totals.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.repayment_record(
            actor=None, loan_request=loan_request, paid_on=timezone.localdate(), amount=Decimal(5)
        )
    assert selectors.finance_totals()["total"]["repaid"] == 0
    for callback in callbacks:
        callback()
    assert selectors.finance_totals()["total"]["repaid"] == Decimal(5)
    with django_capture_on_commit_callbacks(execute=True):
        services.venture_report(actor=None, loan=loan_request.loan, jobs_created=4)
    assert selectors.finance_totals()["total"]["jobs_created"] == 4
    with django_capture_on_commit_callbacks(execute=True):
        _granted(bridging_loan, organisation, "10000")
    assert selectors.finance_totals()["total"]["loans"] == 2


def test_the_totals_export(client, bridging_loan, organisation):
    _granted(bridging_loan, organisation)
    for fmt in ("csv", "xlsx"):
        assert client.get(reverse("finance:totals-export", args=[fmt])).status_code == 200


def test_the_indicators(bridging_loan, organisation, municipality):
    loan_request = _granted(bridging_loan, organisation, "20000")
    services.repayment_record(
        actor=None, loan_request=loan_request, paid_on=timezone.localdate(), amount=Decimal("5000")
    )
    services.venture_report(actor=None, loan=loan_request.loan, jobs_created=2, jobs_kept=3)
    today = timezone.localdate()
    start, end = today.replace(month=1, day=1) - timedelta(days=400), today
    assert selectors.indicator_loans_granted(municipality=municipality, start=start, end=end) == 1
    assert selectors.indicator_loans_value(
        municipality=municipality, start=start, end=end
    ) == Decimal("20000.00")
    assert selectors.indicator_repayment_rate(
        municipality=municipality, start=start, end=end
    ) == Decimal("25.0")
    assert selectors.indicator_jobs(municipality=municipality, start=start, end=end) == 5


def test_the_requests_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, pes_owner, bridging_loan, organisation
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("finance:request-list")).status_code == 200
        return len(captured)

    client.force_login(pes_owner)
    _granted(bridging_loan, organisation)
    with_one = queries()
    for _number in range(5):
        _request(bridging_loan, organisation)
    assert queries() == with_one


def test_an_inactive_product_cannot_be_requested(bridging_loan, organisation):
    from django.core.exceptions import ValidationError

    bridging_loan.is_active = False
    bridging_loan.save()
    with pytest.raises(ValidationError):
        _request(bridging_loan, organisation)
    assert Product.objects.count() == 1


def test_a_request_about_a_notice_won_links_to_it_and_nothing_else_is_accepted(
    client, pes_owner, organisation, bridging_loan
):
    from django.core.exceptions import ValidationError

    from tests.demand.factories import AnswerFactory, NoticeFactory

    won = NoticeFactory(awarded=True, title="Catering dla seniorów 2026")
    AnswerFactory(notice=won, organisation=organisation, is_awarded=True)
    lost = NoticeFactory(awarded=True, title="Sprzątanie parku")
    AnswerFactory(notice=lost, organisation=organisation, is_awarded=False)
    AnswerFactory(notice=lost, is_awarded=True)
    client.force_login(pes_owner)
    url = reverse("finance:request-create", args=[bridging_loan.pk])
    page = client.get(url).content.decode()
    assert "Catering dla seniorów 2026" in page and "Sprzątanie parku" not in page
    data = {
        "organisation": organisation.pk,
        "amount": "20000",
        "need": "Prefinansowanie zamówienia do czasu zapłaty.",
        "purpose_kind": "grant",
        "purpose": "Catering dla seniorów",
        "purpose_ref": f"{organisation.pk}:notice:{won.pk}",
    }
    # The notice chosen is not a grant: refused in Polish, what was typed is kept.
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Wybrano" in " ".join(response.context["form"].errors["purpose_ref"])
    assert "Prefinansowanie zamówienia" in response.content.decode()
    assert not LoanRequest.objects.exists()
    # Another organisation's notice is refused by the service itself.
    with pytest.raises(ValidationError) as refused:
        services.request_submit(
            actor=None,
            product=bridging_loan,
            organisation=organisation,
            amount=Decimal(20000),
            need="x",
            purpose_kind="notice",
            purpose="x",
            purpose_ref=lost.pk,
        )
    assert "purpose_ref" in refused.value.message_dict
    assert not LoanRequest.objects.exists()
    data["purpose_kind"] = "notice"
    assert client.post(url, data).status_code == 302
    loan_request = LoanRequest.objects.get()
    assert loan_request.purpose_ref == won.pk
    detail = client.get(loan_request.get_absolute_url()).content.decode()
    assert f'href="{won.get_absolute_url()}"' in detail
