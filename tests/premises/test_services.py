"""The premises policy's rules, tested through its services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from directory.models import PublicBenefitSphere
from pestor.models import AuditEvent
from premises import services
from premises.models import Application, Floor, Lease, LeaseSupportYear, Premises, VacancyAlert
from premises.rules import propose_discount
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.premises.factories import PremisesFactory, make_alert, make_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def lease(sign_lease):
    """The organisation's lease of the premises, 2024-2026, social assistance (70%)."""
    return sign_lease()


# --- the discount rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "floor", "expected"),
    [
        ("1", Floor.GROUND, 70),  # social assistance
        ("7", Floor.BASEMENT, 90),  # disability work + basement
        ("16", Floor.ATTIC, 80),  # culture + attic
        ("13", Floor.GATEWAY, 60),  # community development + gateway
        ("11", Floor.UPPER, 30),  # economic development
        ("21", Floor.GROUND, 0),  # a sphere Toruń does not name
    ],
)
def test_torun_rules_propose_the_sphere_maximum_plus_the_floor_points(
    policy, code, floor, expected
):
    sphere = PublicBenefitSphere.objects.get(code=code)
    assert propose_discount(policy=policy, sphere=sphere, floor=floor).percent == expected


def test_a_proposal_never_exceeds_100_percent(policy):
    services.policy_set(
        municipality=policy.municipality,
        spheres={PublicBenefitSphere.objects.get(code="1"): Decimal(90)},
        floors={Floor.BASEMENT: Decimal(20)},
        discount_months=12,
        lease_term_months=None,
    )
    policy.refresh_from_db()
    proposal = propose_discount(
        policy=policy, sphere=PublicBenefitSphere.objects.get(code="1"), floor=Floor.BASEMENT
    )
    assert proposal.percent == 100


def test_lease_takes_the_proposed_discount_and_records_its_rule(lease):
    assert lease.discount_percent == lease.proposed_discount == 70
    assert "70" in lease.discount_rule
    assert lease.discount_until == date(2025, 1, 1)
    assert AuditEvent.objects.filter(action="lease.signed").count() == 1


def test_another_discount_needs_a_reason_which_is_logged(sign_lease):
    with pytest.raises(ValidationError) as error:
        sign_lease(discount_percent=Decimal(80))
    assert "override_reason" in error.value.error_dict
    lease = sign_lease(
        discount_percent=Decimal(80), override_reason="Jedyna jadłodzielnia w dzielnicy"
    )
    assert lease.discount_percent == 80
    event = AuditEvent.objects.get(action="lease.discount_overridden")
    assert event.comment == "Jedyna jadłodzielnia w dzielnicy"


def test_a_discount_over_100_percent_is_refused(sign_lease):
    with pytest.raises(ValidationError) as error:
        sign_lease(discount_percent=Decimal(101), override_reason="x")
    assert "discount_percent" in error.value.error_dict
    assert not Lease.objects.exists()


def test_overlapping_leases_are_refused_by_the_service(lease, sign_lease):
    other = OrganisationFactory()
    with pytest.raises(ValidationError) as error:
        sign_lease(organisation=other, starts_on=date(2025, 6, 1), ends_on=None)
    assert error.value.error_dict["starts_on"][0].code == "lease_overlap"
    # Back to back is fine.
    sign_lease(organisation=other, starts_on=date(2026, 1, 1), ends_on=date(2027, 1, 1))
    assert Lease.objects.count() == 2


def test_support_value_is_market_minus_charged_times_area_and_indexation_keeps_the_past(
    lease, official
):
    # 50 m², market 40, basic 30, 70% discount for 12 months: charged 9.00/m².
    support = {row.year: row for row in lease.support_years.all()}
    assert support[2024].months == 12
    assert support[2024].support == Decimal("18600.00")  # (40 - 9) x 50 x 12
    # 2025: no discount any more, (40 - 30) x 50 x 12
    assert support[2025].support == Decimal("6000.00")
    services.lease_index(
        lease=lease,
        valid_from=date(2025, 7, 1),
        basic_rent_m2=Decimal("33.00"),
        market_rent_m2=Decimal("44.00"),
        actor=official,
    )
    support = {row.year: row for row in lease.support_years.all()}
    assert support[2024].support == Decimal("18600.00")  # the past computes as it was
    assert support[2025].support == Decimal("3000.00") + Decimal("3300.00")


def test_support_totals_group_by_tenant_district_sphere_and_year(lease, sphere):
    from premises import selectors

    by_year = selectors.support_totals(by="year")
    assert [row["year"] for row in by_year] == [2025, 2024]
    assert selectors.support_totals(by="tenant")[0]["support"] == Decimal("24600.00")
    assert selectors.support_totals(by="district")[0]["district"] == "Stare Miasto"
    assert selectors.support_totals(by="sphere", year=2024)[0]["support"] == Decimal("18600.00")
    assert LeaseSupportYear.objects.count() == 2


def test_a_lease_running_today_marks_the_premises_leased_and_its_end_frees_them(
    sign_lease, premises, official
):
    today = timezone.localdate()
    lease = sign_lease(starts_on=today - timedelta(days=30), ends_on=None)
    premises.refresh_from_db()
    assert premises.status == Premises.Status.LEASED_PES
    services.lease_end(lease=lease, ends_on=today, actor=official, reason="Wypowiedzenie")
    premises.refresh_from_db()
    assert premises.status == Premises.Status.VACANT
    history = premises.status_history.order_by("pk").values_list("to_status", flat=True)
    assert list(history) == ["leased_pes", "vacant"]


def test_an_official_of_another_municipality_cannot_sign(sign_lease, other_official):
    with pytest.raises(ValidationError):
        sign_lease(actor=other_official)


# --- calls, alerts, applications ---------------------------------------------------------------


def test_a_call_that_closes_before_it_opens_is_refused(premises, official):
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.call_create(
            municipality=premises.municipality,
            actor=official,
            premises=[premises],
            title="Nabór",
            purpose="Cel",
            documents_required="Statut",
            opens_at=now + timedelta(days=5),
            closes_at=now + timedelta(days=1),
        )
    assert "closes_at" in error.value.error_dict


def test_publishing_a_call_emails_the_members_of_matching_alerts(
    premises, official, organisation, pes_owner, django_capture_on_commit_callbacks
):
    make_alert(
        organisation,
        pes_owner,
        premises.municipality,
        district="stare miasto",
        min_area=Decimal(40),
        step_free_only=True,
        purpose="kawiarnia",
    )
    make_alert(organisation, pes_owner, premises.municipality, district="Podgórz")
    with django_capture_on_commit_callbacks(execute=True):
        make_call([premises], official)
    assert [message.to for message in mail.outbox] == [[pes_owner.email]]
    assert premises.address in mail.outbox[0].body
    assert VacancyAlert.objects.count() == 2


def test_a_verified_pes_applies_once_per_premises(apply):
    apply()
    with pytest.raises(ValidationError) as error:
        apply()
    assert error.value.error_dict["premises"][0].code == "duplicate_application"


def test_an_application_after_the_close_is_refused_by_the_server_clock(apply, open_call):
    with pytest.raises(ValidationError) as error:
        apply(now=open_call.closes_at)
    assert error.value.error_list[0].code == "call_closed"


def test_a_fake_pdf_is_refused_by_its_content(apply):
    fake = SimpleUploadedFile("statut.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        apply(documents=[("Statut", fake)])
    assert error.value.error_dict["documents"][0].code == "not_a_pdf"
    assert not Application.objects.exists()


def test_a_pending_organisation_cannot_apply(apply, pending_organisation):
    member = pending_organisation.memberships.get().user
    with pytest.raises(ValidationError):
        apply(organisation=pending_organisation, actor=member)


def test_the_decision_publishes_results_and_emails_every_applicant(
    apply, open_call, premises, pes_owner, official, django_capture_on_commit_callbacks
):
    other = OrganisationFactory(seat_municipality=premises.municipality)
    other_member = make_pes_member(other)
    applications = [apply(), apply(organisation=other, actor=other_member)]
    with pytest.raises(ValidationError):
        services.call_decide(
            call=open_call, actor=official, decisions={premises: (applications[0], "Najlepszy")}
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.call_decide(
            call=open_call,
            actor=official,
            decisions={premises: (applications[0], "Najlepszy program")},
            now=open_call.closes_at + timedelta(minutes=1),
        )
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == ["chosen", "not_chosen"]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [pes_owner.email, other_member.email]
    )


# --- annual reports ----------------------------------------------------------------------------


def _report(lease, actor, *, volunteers):
    return services.report_submit(
        lease=lease,
        year=2024,
        actor=actor,
        activities="Jadłodzielnia",
        beneficiaries=450,
        hours_per_week=30,
        events=12,
        volunteers=volunteers,
        in_kind_contribution=Decimal(1000),
        narrative="Dobry rok",
    )


def test_reports_are_due_by_the_municipality_date_and_returned_with_a_reason(
    lease, sphere, official, pes_owner
):
    from premises import selectors

    overdue = selectors.due_reports(today=date(2025, 4, 1))
    assert [(item["lease"], item["year"], item["due"]) for item in overdue] == [
        (lease, 2024, date(2025, 3, 31))
    ]
    assert selectors.due_reports(today=date(2025, 3, 1)) == []
    assert len(selectors.due_reports(today=date(2025, 3, 20), within_days=14)) == 1
    report = _report(lease, pes_owner, volunteers=8)
    assert selectors.due_reports(today=date(2025, 4, 1)) == []
    with pytest.raises(ValidationError):
        services.report_return(report=report, actor=official, reason="  ")
    services.report_return(report=report, actor=official, reason="Uzupełnij wolontariuszy")
    assert len(selectors.due_reports(today=date(2025, 4, 1))) == 1
    report = _report(lease, pes_owner, volunteers=9)
    services.report_accept(report=report, actor=official)
    results = selectors.results(year=2024)
    assert results["totals"]["beneficiaries"] == 450
    assert results["totals"]["support"] == Decimal("18600.00")
    assert results["by_sphere"][0]["label"] == sphere.name


def test_reminders_are_sent_once(lease, pes_owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=date(2025, 4, 2)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(today=date(2025, 4, 3))
    assert len(mail.outbox) == 1
    assert "2024" in mail.outbox[0].subject


def test_monitoring_indicators(lease, premises):
    from premises import selectors

    args = {
        "municipality": premises.municipality,
        "start": date(2024, 1, 1),
        "end": date(2024, 12, 31),
    }
    assert selectors.indicator_premises_leased(**args) == 1
    assert selectors.indicator_support_value(**args) == Decimal("18600.00")
    assert selectors.indicator_beneficiaries(**args) == 0


def test_other_premises_are_untouched(lease, sign_lease, premises):
    sign_lease(premises=PremisesFactory(unit=premises.unit))
    assert Lease.objects.count() == 2
