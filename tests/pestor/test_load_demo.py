"""The demo loader: what `make run` shows a first-time visitor, and that it never loads twice."""

import io
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from stdnum.pl import nip, regon

from directory.demo import GENERATED_OWNER_EMAILS
from directory.models import Organisation, OrganisationMembership
from pestor import roles
from pestor.demo import (
    ADMIN,
    BUSINESS_BUYER,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    MONITORING,
    OFFICIAL_LUBICZ,
    OFFICIAL_TORUN,
    OFFICIAL_TORUN_PARTNERSHIP,
    PENDING_OWNER,
    PES_EDITOR,
    PES_OWNER,
    RESIDENT,
)
from pestor.models import (
    AuditEvent,
    Company,
    Department,
    MonitoringTeamMembership,
    Municipality,
    OfficialMembership,
    User,
)

Status = Organisation.Status


def load_demo(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_output(db):
    return load_demo()


def table_counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Municipality,
            Department,
            Organisation,
            OrganisationMembership,
            User,
            EmailAddress,
            AuditEvent,
            Company,
        )
    }


def test_loads_torun_and_its_neighbour_lubicz_with_their_departments(demo_output):
    torun = Municipality.objects.get(slug="torun")
    lubicz = Municipality.objects.get(slug="lubicz")
    assert (torun.teryt, torun.voivodeship) == ("0463011", "04")
    assert (lubicz.teryt, lubicz.voivodeship) == ("0415042", "04")
    assert Municipality.objects.count() == 2
    assert torun.departments.filter(
        name="Wydział Zdrowia i Polityki Społecznej", code="WZiPS"
    ).exists()
    assert torun.departments.count() >= 5
    assert 2 <= lubicz.departments.count() <= 3
    for municipality in (torun, lubicz):
        municipality.full_clean()


def test_loads_forty_organisations_in_every_state_of_verification(demo_output):
    assert Organisation.objects.count() == 40
    assert Organisation.objects.filter(status=Status.VERIFIED).count() == 34
    assert Organisation.objects.filter(status=Status.PENDING).count() == 4
    assert Organisation.objects.filter(status=Status.REJECTED).count() == 2
    assert Organisation.objects.filter(seat_municipality__slug="lubicz").count() >= 5
    assert len(set(Organisation.objects.values_list("legal_form", flat=True))) >= 8


def test_verified_organisations_were_verified_by_an_official_of_their_seat_within_two_years(
    demo_output,
):
    now = timezone.now()
    for organisation in Organisation.objects.filter(status=Status.VERIFIED):
        assert now - timedelta(days=730) < organisation.verified_at < now
        assert organisation.created_at < organisation.verified_at
        assert roles.is_official(organisation.verified_by, organisation.seat_municipality)
        assert organisation.rejection_reason == ""


def test_pending_and_rejected_organisations_are_not_verified(demo_output):
    for organisation in Organisation.objects.exclude(status=Status.VERIFIED):
        assert organisation.verified_at is None
        assert organisation.verified_by is None
    for organisation in Organisation.objects.filter(status=Status.REJECTED):
        assert len(organisation.rejection_reason) > 40


def test_every_organisation_passes_the_models_validation(demo_output):
    problems = {}
    for organisation in Organisation.objects.all():
        try:
            organisation.full_clean()
        except ValidationError as error:
            problems[organisation.name] = error.message_dict
    assert problems == {}


def test_registry_numbers_have_valid_check_digits_and_nips_are_unique(demo_output):
    organisations = list(Organisation.objects.all())
    nips = [organisation.nip for organisation in organisations]
    assert all(nip.is_valid(number) and len(number) == 10 for number in nips)
    assert all(regon.is_valid(organisation.regon) for organisation in organisations)
    assert len(set(nips)) == len(nips)
    krs_numbers = [organisation.krs for organisation in organisations if organisation.krs]
    assert len(krs_numbers) >= 30
    assert all(len(number) == 10 and number.isdigit() for number in krs_numbers)
    assert len(set(krs_numbers)) == len(krs_numbers)
    company = Company.objects.get()
    assert nip.is_valid(company.nip)
    assert company.nip not in nips


def test_organisation_profiles_are_filled_in(demo_output):
    postal_codes = {"torun": "87-100", "lubicz": "87-162"}
    for organisation in Organisation.objects.select_related("seat_municipality"):
        seat = organisation.seat_municipality
        assert organisation.postal_code == postal_codes[seat.slug]
        assert organisation.street and organisation.city and organisation.short_name
        assert organisation.description.count(".") >= 2
        assert abs(organisation.latitude - seat.latitude) < 0.05
        assert abs(organisation.longitude - seat.longitude) < 0.1
        assert 1 <= organisation.spheres.count() <= 4
        assert seat in organisation.municipalities_served.all()
        assert organisation.employees_at_risk <= organisation.employees
        if organisation.is_social_enterprise:
            assert organisation.social_enterprise_since <= timezone.localdate()
    assert Organisation.objects.filter(is_public_benefit=True).exists()
    assert Organisation.objects.filter(is_social_enterprise=True).count() >= 5


def test_every_organisation_has_one_owner_and_a_history(demo_output):
    for organisation in Organisation.objects.all():
        owners = organisation.memberships.filter(role=OrganisationMembership.Role.OWNER)
        assert owners.count() == 1
        events = AuditEvent.objects.for_object(organisation)
        registered = events.get(action="organisation.registered")
        assert registered.actor == owners.get().user
        assert registered.after["nip"] == organisation.nip
        assert registered.created_at == organisation.created_at
        if organisation.status == Status.VERIFIED:
            verified = events.get(action="organisation.verified")
            assert verified.actor == organisation.verified_by
            assert verified.created_at == organisation.verified_at
            assert verified.after == {"status": Status.VERIFIED}
        if organisation.status == Status.REJECTED:
            rejected = events.get(action="organisation.rejected")
            assert rejected.comment == organisation.rejection_reason
            assert roles.is_official(rejected.actor, organisation.seat_municipality)


def test_every_official_works_in_a_department_of_their_municipality(demo_output):
    expected = {
        OFFICIAL_TORUN.email: ("torun", "WZiPS", "inspektor"),
        OFFICIAL_TORUN_PARTNERSHIP.email: ("torun", "BTCP", "główny specjalista"),
        OFFICIAL_LUBICZ.email: ("lubicz", "RSS", "inspektor"),
    }
    memberships = OfficialMembership.objects.select_related("user", "department__municipality")
    found = {
        membership.user.email: (
            membership.department.municipality.slug,
            membership.department.code,
            membership.position,
        )
        for membership in memberships
    }
    assert found == expected


def test_each_demo_account_holds_its_role(demo_output):
    def user(account):
        return User.objects.get(email=account.email)

    admin = user(ADMIN)
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.exclude(pk=admin.pk).filter(is_staff=True).exists()

    smaczny_kasek = Organisation.objects.get(short_name="Smaczny Kąsek")
    assert smaczny_kasek.status == Status.VERIFIED
    assert smaczny_kasek.memberships.get(user=user(PES_OWNER)).role == "owner"
    assert smaczny_kasek.memberships.get(user=user(PES_EDITOR)).role == "editor"
    assert user(PES_EDITOR).organisation_memberships.count() == 2

    pending = Organisation.objects.get(memberships__user=user(PENDING_OWNER))
    assert pending.status == Status.PENDING

    assert MonitoringTeamMembership.objects.get(user=user(MONITORING)).municipality.slug == "torun"
    company = Company.objects.get(buyers__user=user(BUSINESS_BUYER))
    assert company.name == "Przykładowa Firma Budowlana sp. z o.o."
    assert company.municipality.slug == "torun"

    resident = user(RESIDENT)
    assert not resident.organisation_memberships.exists()
    assert not roles.is_official(resident) and not roles.is_business_buyer(resident)


def test_demo_accounts_sign_in_with_the_demo_password(demo_output):
    for email in [account.email for account in DEMO_ACCOUNTS] + [GENERATED_OWNER_EMAILS[0]]:
        assert authenticate(request=None, email=email, password=DEMO_PASSWORD) is not None, email
        address = EmailAddress.objects.get(email=email)
        assert address.verified and address.primary
    assert authenticate(request=None, email=PES_OWNER.email, password="wrong-password") is None


def test_demo_account_reaches_the_dashboard_without_confirming_the_address(demo_output, client):
    response = client.post(
        reverse("account_login"), {"login": PES_OWNER.email, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("pestor:dashboard")


def test_output_lists_every_demo_account_with_its_password(demo_output):
    for account in DEMO_ACCOUNTS:
        line = next(line for line in demo_output.splitlines() if account.email in line)
        assert DEMO_PASSWORD in line
    assert "40 organizacji" in demo_output


def test_if_empty_on_a_loaded_database_creates_nothing(demo_output):
    before = table_counts()
    output = load_demo("--if-empty")
    assert table_counts() == before
    assert "nie jest pusta" in output
    # `make run` calls it every time and still shows the accounts.
    assert all(account.email in output for account in DEMO_ACCOUNTS)


@pytest.mark.django_db
def test_if_empty_does_nothing_when_only_a_municipality_exists():
    Municipality.objects.create(name="Chełmża", slug="chelmza", teryt="0415011", voivodeship="04")
    load_demo("--if-empty")
    assert Organisation.objects.count() == 0
    assert not User.objects.exists()


@pytest.mark.django_db
def test_if_empty_on_an_empty_database_loads_the_demo():
    load_demo("--if-empty")
    assert Organisation.objects.count() == 40


def test_loading_again_is_refused_and_changes_nothing(demo_output):
    before = table_counts()
    with pytest.raises(CommandError, match="--if-empty"):
        load_demo()
    assert table_counts() == before


@pytest.mark.django_db
def test_an_existing_demo_account_stops_the_load_before_anything_is_written():
    User.objects.create_user(email=MONITORING.email, password="x")
    with pytest.raises(CommandError, match=MONITORING.email):
        load_demo()
    assert not Municipality.objects.exists()


@pytest.mark.django_db
def test_the_demo_is_the_same_every_time():
    def snapshot():
        return list(
            Organisation.objects.order_by("name", "memberships__user__email").values_list(
                "name",
                "nip",
                "regon",
                "krs",
                "latitude",
                "longitude",
                "status",
                "memberships__user__email",
            )
        )

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        load_demo()
        first = snapshot()
        raise Rollback
    assert not Organisation.objects.exists()
    load_demo()
    assert snapshot() == first
