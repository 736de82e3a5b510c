"""The demo loader: what `make run` shows a first-time visitor, and that it never loads twice."""

import io
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from stdnum.pl import nip, regon

from demand.models import (
    Answer,
    ConsortiumPartner,
    DemandNotice,
    NoticeCorrection,
    NoticeMatch,
    NoticeQuestion,
    SocialClauseCheck,
)
from directory.demo import GENERATED_OWNER_EMAILS
from directory.models import Organisation, OrganisationMembership
from directory.selectors import qualifies_for_reserved_contract
from exchange import cpv
from exchange import selectors as exchange_selectors
from exchange.models import Inquiry, InquiryMessage, Offer
from exchange.services import render_description
from pestor import roles
from pestor.demo import (
    ADMIN,
    BUSINESS_BUYER,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    LOCAL_ADMIN_TORUN,
    MONITORING,
    OFFICIAL_LUBICZ,
    OFFICIAL_TORUN,
    OFFICIAL_TORUN_PARTNERSHIP,
    PENDING_OWNER,
    PES_EDITOR,
    PES_OWNER,
    RESIDENT,
)
from pestor.management.commands.load_demo import demo_modules
from pestor.models import (
    AuditEvent,
    BuyerRoleRequest,
    Company,
    Department,
    MonitoringTeamMembership,
    Municipality,
    OfficialMembership,
    User,
)
from tests.exchange.factories import offer_area_rows, offer_areas_by_rule

Status = Organisation.Status
NoticeStatus = DemandNotice.Status


def load_demo(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker):
    """The demo, loaded once for a class of tests that only read it (each test still runs in
    its own savepoint through ``db``), and rolled back after the class."""
    # Set up before the per-test settings fixtures, so it hashes the demo password the way
    # tests/conftest.py has the tests check it.
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


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
            Offer,
            Inquiry,
            InquiryMessage,
            DemandNotice,
            SocialClauseCheck,
            NoticeMatch,
            Answer,
            ConsortiumPartner,
        )
    }


@pytest.mark.django_db
def test_if_empty_does_nothing_when_only_a_municipality_exists():
    Municipality.objects.create(name="Chełmża", slug="chelmza", teryt="0415011", voivodeship="04")
    load_demo("--if-empty")
    assert Organisation.objects.count() == 0
    assert not User.objects.exists()


@pytest.mark.django_db
def test_if_empty_on_an_empty_database_loads_the_demo_and_then_changes_nothing(
    django_capture_on_commit_callbacks, mailoutbox
):
    # What the transaction would do once committed runs too: the demo's services e-mail
    # nobody (their people are fictional).
    with django_capture_on_commit_callbacks(execute=True):
        load_demo("--if-empty")
    assert mailoutbox == []
    # Forty of the directory's, six of the Płock subregion (partnerships).
    assert Organisation.objects.count() == 46
    loaded = table_counts()
    assert loaded["Offer"] > 0 and loaded["DemandNotice"] > 0
    load_demo("--if-empty")
    assert table_counts() == loaded


@pytest.mark.django_db
def test_an_existing_demo_account_stops_the_load_before_anything_is_written():
    User.objects.create_user(email=MONITORING.email, password="x")
    with pytest.raises(CommandError, match=MONITORING.email):
        load_demo()
    assert not Municipality.objects.exists()


@pytest.mark.django_db
def test_the_demo_is_the_same_every_time():
    def snapshot():
        organisations = Organisation.objects.order_by("name", "memberships__user__email")
        return [
            list(
                organisations.values_list(
                    "name",
                    "nip",
                    "regon",
                    "krs",
                    "latitude",
                    "longitude",
                    "status",
                    "memberships__user__email",
                )
            ),
            list(Offer.objects.order_by("pk").values_list("title", "organisation__name", "price")),
            list(
                DemandNotice.objects.order_by("pk", "answers__pk").values_list(
                    "title", "status", "answers__organisation__name", "answers__price_net"
                )
            ),
            list(
                NoticeMatch.objects.order_by("pk").values_list(
                    "notice__title", "organisation__name"
                )
            ),
        ]

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        load_demo()
        first = snapshot()
        raise Rollback
    assert not Organisation.objects.exists()
    load_demo()
    assert snapshot() == first


@pytest.mark.django_db
def test_the_whole_demo_loads_in_a_few_seconds(capsys):
    started = time.perf_counter()
    load_demo()
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nload_demo: {elapsed:.2f} s")
    assert DemandNotice.objects.exists()


@pytest.mark.django_db
class TestTheLoadedDemo:
    """What one loaded demo holds."""

    def test_loads_torun_and_its_neighbour_lubicz_with_their_departments(self, demo_output):
        torun = Municipality.objects.get(slug="torun")
        lubicz = Municipality.objects.get(slug="lubicz")
        assert (torun.teryt, torun.voivodeship) == ("0463011", "04")
        assert (lubicz.teryt, lubicz.voivodeship) == ("0415042", "04")
        # And the Płock subregion's two (partnerships).
        assert Municipality.objects.count() == 4
        assert torun.departments.filter(
            name="Wydział Zdrowia i Polityki Społecznej", code="WZiPS"
        ).exists()
        assert torun.departments.count() >= 5
        assert 2 <= lubicz.departments.count() <= 3
        for municipality in (torun, lubicz):
            municipality.full_clean()

    def test_the_three_sector_partnership_organises_an_event_of_its_member(
        self, demo_output, client
    ):
        from community.models import Event
        from partnerships.models import Partnership

        partnership = Partnership.objects.get(name="Toruńskie Partnerstwo Trójsektorowe")
        (event,) = Event.objects.filter(partnership=partnership)
        assert event.status == Event.Status.PUBLISHED and event.ends_at > timezone.now()
        assert event.organiser.name == "Spółdzielnia Socjalna Smaczny Kąsek"
        assert partnership.members.filter(organisation=event.organiser, status="active").exists()
        # Of the demo's events, this one only has a partnership.
        assert Event.objects.filter(partnership__isnull=False).count() == 1
        page = client.get(partnership.get_absolute_url()).content.decode()
        assert event.get_absolute_url() in page

    def test_loads_forty_organisations_in_every_state_of_verification(self, demo_output):
        # And the six verified PES of the Płock subregion (partnerships).
        assert Organisation.objects.count() == 46
        assert Organisation.objects.filter(status=Status.VERIFIED).count() == 39
        assert Organisation.objects.filter(status=Status.SUSPENDED).count() == 1
        assert Organisation.objects.public().unconfirmed().count() == 1
        assert Organisation.objects.filter(status=Status.PENDING).count() == 4
        assert Organisation.objects.filter(status=Status.REJECTED).count() == 2
        assert Organisation.objects.filter(seat_municipality__slug="lubicz").count() >= 5
        assert len(set(Organisation.objects.values_list("legal_form", flat=True))) >= 8

    def test_verified_organisations_were_verified_by_an_official_of_their_seat_within_two_years(
        self,
        demo_output,
    ):
        now = timezone.now()
        for organisation in Organisation.objects.filter(
            status__in=[Status.VERIFIED, Status.SUSPENDED]
        ):
            assert now - timedelta(days=730) < organisation.verified_at < now
            assert organisation.created_at < organisation.verified_at
            assert roles.is_official(organisation.verified_by, organisation.seat_municipality)
            assert organisation.rejection_reason == ""

    def test_pending_and_rejected_organisations_are_not_verified(self, demo_output):
        for organisation in Organisation.objects.exclude(
            status__in=[Status.VERIFIED, Status.SUSPENDED]
        ):
            assert organisation.verified_at is None
            assert organisation.verified_by is None
        for organisation in Organisation.objects.filter(status=Status.REJECTED):
            assert len(organisation.rejection_reason) > 40

    def test_every_organisation_passes_the_models_validation(self, demo_output):
        problems = {}
        for organisation in Organisation.objects.all():
            try:
                organisation.full_clean()
            except ValidationError as error:
                problems[organisation.name] = error.message_dict
        assert problems == {}

    def test_registry_numbers_have_valid_check_digits_and_nips_are_unique(self, demo_output):
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

    def test_organisation_profiles_are_filled_in(self, demo_output):
        postal_codes = {
            "torun": "87-100",
            "lubicz": "87-162",
            "plock": "09-400",
            "slupno": "09-472",
        }
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

    def test_every_organisation_has_one_owner_and_a_history(self, demo_output):
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

    def test_every_official_works_in_a_department_of_their_municipality(self, demo_output):
        expected = {
            OFFICIAL_TORUN.email: ("torun", "WZiPS", "inspektor"),
            OFFICIAL_TORUN_PARTNERSHIP.email: ("torun", "BTCP", "główny specjalista"),
            OFFICIAL_LUBICZ.email: ("lubicz", "RSS", "inspektor"),
            # The Płock subregion's (partnerships).
            "urzednik@plock.example": ("plock", "WPS", "inspektor"),
            "urzednik@slupno.example": ("slupno", "RSS", "inspektor"),
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

    def test_each_demo_account_holds_its_role(self, demo_output):
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

        assert (
            MonitoringTeamMembership.objects.get(user=user(MONITORING)).municipality.slug == "torun"
        )
        company = Company.objects.get(buyers__user=user(BUSINESS_BUYER))
        assert company.name == "Przykładowa Firma Budowlana sp. z o.o."
        assert company.municipality.slug == "torun"

        resident = user(RESIDENT)
        assert not resident.organisation_memberships.exists()
        assert not roles.is_official(resident) and not roles.is_business_buyer(resident)

    def test_torun_has_a_local_administrator_with_a_request_to_decide(self, demo_output):
        local_admin = User.objects.get(email=LOCAL_ADMIN_TORUN.email)
        torun = Municipality.objects.get(slug="torun")
        assert list(roles.administered_municipalities(local_admin)) == [torun]
        assert roles.mfa_required(local_admin)
        request = BuyerRoleRequest.objects.get()
        assert request.status == BuyerRoleRequest.Status.PENDING
        assert request.municipality == torun and request.user.email == RESIDENT.email
        request.full_clean()
        assert LOCAL_ADMIN_TORUN.email in demo_output

    def test_demo_accounts_sign_in_with_the_demo_password(self, demo_output):
        for email in [account.email for account in DEMO_ACCOUNTS] + [GENERATED_OWNER_EMAILS[0]]:
            assert authenticate(request=None, email=email, password=DEMO_PASSWORD) is not None, (
                email
            )
            address = EmailAddress.objects.get(email=email)
            assert address.verified and address.primary
        assert authenticate(request=None, email=PES_OWNER.email, password="wrong-password") is None

    def test_demo_account_reaches_the_dashboard_without_confirming_the_address(
        self, demo_output, client
    ):
        response = client.post(
            reverse("account_login"), {"login": PES_OWNER.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        assert response.url == reverse("pestor:dashboard")

    def test_output_lists_every_demo_account_with_its_password(self, demo_output):
        for account in DEMO_ACCOUNTS:
            line = next(line for line in demo_output.splitlines() if account.email in line)
            assert DEMO_PASSWORD in line
        assert "40 organizacji" in demo_output
        # One summary line per app with demo data, in the order of INSTALLED_APPS.
        lines = demo_output.splitlines()
        summaries = lines[1 : lines.index("Konta demonstracyjne / Demo accounts")]
        labels = [line.split(":")[0].strip() for line in summaries]
        assert labels == [label for label, _module in demo_modules()]
        assert labels[:4] == ["pestor", "directory", "exchange", "demand"]

    def test_if_empty_on_a_loaded_database_creates_nothing(self, demo_output):
        before = table_counts()
        output = load_demo("--if-empty")
        assert table_counts() == before
        assert "nie jest pusta" in output
        # `make run` calls it every time and still shows the accounts.
        assert all(account.email in output for account in DEMO_ACCOUNTS)

    def test_loading_again_is_refused_and_changes_nothing(self, demo_output):
        before = table_counts()
        with pytest.raises(CommandError, match="--if-empty"):
            load_demo()
        assert table_counts() == before

    # --- the exchange -------------------------------------------------------------------------

    def test_most_verified_organisations_list_offers_with_prices_of_every_kind(self, demo_output):
        verified = Organisation.objects.filter(status=Status.VERIFIED)
        with_offers = verified.filter(offers__isnull=False).distinct().count()
        assert 28 <= with_offers < verified.count()
        offers = list(Offer.objects.select_related("organisation", "cpv"))
        assert {offer.price_type for offer in offers} == set(Offer.PriceType.values)
        assert {"osoba", "godz.", "m²", "szt."} <= {offer.unit for offer in offers}
        assert 2 <= sum(offer.status == Offer.Status.ARCHIVED for offer in offers) <= 3
        for offer in offers:
            offer.full_clean()
            assert offer.cpv.is_curated, offer.title
            assert (offer.price is None) == (offer.price_type == Offer.PriceType.ON_REQUEST)
            if offer.price is not None:
                assert offer.price == offer.price.quantize(Decimal("0.01")) > 0
            assert offer.description_html == render_description(offer.description)
            assert offer.municipalities_served.exists()
            assert offer.created_at >= (
                offer.organisation.verified_at or offer.organisation.created_at
            )
        catering = Offer.objects.get(title="Catering na konferencje i spotkania")
        assert catering.organisation.short_name == "Smaczny Kąsek"
        assert catering.cpv.code == "55520000"
        assert "<li>" in catering.description_html and "<strong>" in catering.description_html

    def test_every_public_offer_belongs_to_a_verified_organisation(self, demo_output):
        public = Offer.objects.public()
        assert public.count() >= 55
        assert not public.exclude(organisation__status=Status.VERIFIED).exists()
        # Organisations awaiting verification have listed offers, which wait with them.
        waiting = Offer.objects.filter(organisation__status=Status.PENDING)
        assert waiting.exists()
        assert not public.filter(pk__in=waiting).exists()

    def test_the_catalogues_municipalities_of_the_offers_follow_the_backdated_offers(
        self, demo_output
    ):
        """OfferArea holds what ``Offer.objects.serving`` finds, with the demo's dates."""
        expected = offer_areas_by_rule()
        assert expected
        assert set(offer_area_rows()) == expected

    def test_inquiries_are_conversations_in_every_state_with_unread_messages_on_both_sides(
        self,
        demo_output,
    ):
        inquiries = list(Inquiry.objects.select_related("offer", "buyer"))
        assert 8 <= len(inquiries) <= 10
        assert {inquiry.status for inquiry in inquiries} == set(Inquiry.Status.values)
        for inquiry in inquiries:
            messages = list(inquiry.messages.order_by("created_at", "pk"))
            assert 1 <= len(messages) <= 4
            assert messages[0].from_buyer and messages[0].author == inquiry.buyer
            assert inquiry.created_at == messages[0].created_at
            assert inquiry.last_message_at == messages[-1].created_at
            assert inquiry.organisation_id == inquiry.offer.organisation_id
            assert (inquiry.buyer_department is None) != (inquiry.buyer_company is None)
            members = set(inquiry.organisation.memberships.values_list("user_id", flat=True))
            for message in messages[1:]:
                if not message.from_buyer:
                    assert message.author_id in members
            answered = any(not message.from_buyer for message in messages)
            if inquiry.status == Inquiry.Status.OPEN:
                assert not answered
            if inquiry.status == Inquiry.Status.ANSWERED:
                assert answered
            if inquiry.status == Inquiry.Status.CLOSED:
                assert inquiry.closed_at >= inquiry.last_message_at and inquiry.closed_by
        for account in (PES_OWNER, BUSINESS_BUYER):
            user = User.objects.get(email=account.email)
            assert exchange_selectors.unread_inquiry_count(user=user) >= 1, account.email

    # --- the demand register ------------------------------------------------------------------

    def test_notices_in_every_state(self, demo_output):
        now = timezone.now()
        counts = {
            status: DemandNotice.objects.filter(status=status).count() for status in NoticeStatus
        }
        assert counts == {
            NoticeStatus.DRAFT: 2,
            NoticeStatus.PUBLISHED: 5,
            NoticeStatus.CLOSED: 2,
            NoticeStatus.AWARDED: 3,
            NoticeStatus.CANCELLED: 1,
        }
        published = DemandNotice.objects.filter(status=NoticeStatus.PUBLISHED)
        assert all(notice.is_open_for_answers for notice in published)
        assert published.filter(answers_deadline__lt=now + timedelta(days=7)).exists()
        assert published.filter(company__isnull=False).exists()
        for notice in DemandNotice.objects.filter(status=NoticeStatus.DRAFT):
            assert notice.published_at is None and not notice.matches.exists()
        for notice in DemandNotice.objects.filter(status=NoticeStatus.CLOSED):
            assert notice.answers_deadline < now and notice.closed_at == notice.answers_deadline
            assert notice.awarded_at is None and not notice.answers.filter(is_awarded=True).exists()
        cancelled = DemandNotice.objects.get(status=NoticeStatus.CANCELLED)
        assert len(cancelled.cancel_reason) > 40 and cancelled.cancelled_at < now
        for notice in DemandNotice.objects.all():
            notice.full_clean()
            assert notice.cpv_codes.exists()
            if notice.department_id:
                assert roles.is_official(notice.posted_by, notice.municipality)
                assert notice.department.municipality_id == notice.municipality_id
            else:
                assert notice.company.buyers.filter(user=notice.posted_by).exists()

    def test_every_published_notice_has_a_social_clause_check_with_every_kind_of_decision(
        self,
        demo_output,
    ):
        ever_published = DemandNotice.objects.exclude(status=NoticeStatus.DRAFT)
        for notice in ever_published:
            check = SocialClauseCheck.objects.get(notice=notice)
            check.full_clean()
            assert check.decided_at < notice.published_at
            assert check.decided_by == notice.posted_by
            assert check.estimated_value == notice.estimated_value
        checks = SocialClauseCheck.objects.filter(notice__status=NoticeStatus.PUBLISHED)
        assert checks.filter(reserved_for_pes=True, procurement_law_applies=True).exists()
        assert checks.filter(employment_requirement=True).exists()
        assert checks.filter(is_social_service=True).exists()
        assert checks.exclude(no_clause_reason="").exists()

    def test_matches_are_the_organisations_whose_offers_fit_the_notice(self, demo_output):
        matched_notices = DemandNotice.objects.exclude(status=NoticeStatus.DRAFT)
        assert NoticeMatch.objects.count() >= 15
        for notice in matched_notices.prefetch_related("cpv_codes"):
            groups = {cpv.group_prefix(code.code) for code in notice.cpv_codes.all()}
            matches = list(notice.matches.select_related("organisation"))
            assert matches, notice.title
            now_matching = set(
                exchange_selectors.offers_matching(
                    cpv_codes=list(notice.cpv_codes.all()), municipality=notice.municipality
                ).values_list("pk", flat=True)
            )
            for match in matches:
                assert match.organisation_id in now_matching, (notice.title, match.organisation)
                fitting = Offer.objects.public().filter(
                    organisation=match.organisation,
                    municipalities_served=notice.municipality,
                    created_at__lt=notice.published_at,
                )
                assert any(cpv.group_prefix(offer.cpv_id) in groups for offer in fitting), (
                    notice.title,
                    match.organisation,
                )
                assert match.matched_at == notice.published_at
                assert notice.published_at < match.notified_at

    def test_answers_come_from_matched_organisations_before_the_deadline(self, demo_output):
        answers = Answer.objects.select_related("notice", "organisation")
        assert answers.count() >= 12
        assert {answer.kind for answer in answers} == set(Answer.Kind.values)
        for answer in answers:
            answer.full_clean()
            notice = answer.notice
            assert notice.matches.filter(organisation=answer.organisation).exists()
            assert notice.published_at < answer.created_at < notice.answers_deadline
            assert answer.created_at < timezone.now()
            assert answer.organisation.memberships.filter(user=answer.submitted_by).exists()
        consortium = set(ConsortiumPartner.objects.values_list("answer", flat=True))
        assert len(consortium) == 1
        partners = ConsortiumPartner.objects.filter(answer__in=consortium)
        confirmed = partners.filter(confirmed_at__isnull=False)
        assert confirmed.count() == 1 and partners.filter(confirmed_at__isnull=True).count() == 1
        partner = confirmed.get()
        assert partner.organisation.memberships.filter(user=partner.confirmed_by).exists()
        assert partner.answer.notice.is_open_for_answers

    def test_reserved_notices_reach_and_are_answered_only_by_qualifying_pes(self, demo_output):
        reserved = DemandNotice.objects.filter(clause_check__reserved_for_pes=True)
        assert reserved.filter(answers__isnull=False).exists()
        failing = []
        for notice in reserved:
            organisations = [match.organisation for match in notice.matches.all()]
            for answer in notice.answers.prefetch_related("partners__organisation"):
                organisations.append(answer.organisation)
                organisations += [partner.organisation for partner in answer.partners.all()]
            failing += [
                (notice.title, organisation.name)
                for organisation in organisations
                if not qualifies_for_reserved_contract(organisation)
            ]
        assert not failing

    def test_a_question_about_an_open_notice_was_answered(self, demo_output):
        (question,) = NoticeQuestion.objects.select_related("notice", "organisation")
        notice = question.notice
        assert notice.is_open_for_answers
        assert notice.published_at < question.asked_at < question.answered_at < timezone.now()
        assert question.organisation.memberships.filter(user=question.asked_by).exists()
        assert notice.matches.filter(organisation=question.organisation).exists()

    def test_an_open_notice_was_corrected_and_its_history_says_so(self, demo_output):
        (correction,) = NoticeCorrection.objects.select_related("notice")
        notice = correction.notice
        assert notice.is_open_for_answers
        assert notice.published_at < correction.corrected_at < timezone.now()
        assert correction.changes["delivery_place"][1] == notice.delivery_place
        assert correction.change_rows()
        (event,) = AuditEvent.objects.for_object(notice).filter(action="notice.corrected")
        assert event.created_at == correction.corrected_at

    def test_awarded_notices_have_awarded_answers_in_this_year_and_the_previous_one(
        self, demo_output
    ):
        today = timezone.localdate()
        awarded = DemandNotice.objects.filter(status=NoticeStatus.AWARDED)
        for notice in awarded:
            winners = notice.answers.filter(is_awarded=True)
            assert winners.exists(), notice.title
            assert notice.awarded_value == sum(answer.price_net for answer in winners)
            assert timezone.localdate(notice.published_at) <= notice.award_date <= today
            assert notice.answers_deadline < notice.awarded_at <= timezone.now()
            assert notice.closed_at == notice.answers_deadline
            assert notice.department_id is not None
        years = {notice.award_date.year for notice in awarded}
        assert years == {today.year, today.year - 1}
        oldest = DemandNotice.objects.exclude(published_at=None).order_by("published_at").first()
        assert timezone.now() - oldest.published_at < timedelta(days=550)
        assert not Answer.objects.filter(is_awarded=True).exclude(notice__in=awarded).exists()

    def test_the_event_log_tells_each_notices_history(self, demo_output):
        for notice in DemandNotice.objects.all():
            events = AuditEvent.objects.for_object(notice)
            created = events.get(action="notice.created")
            assert created.actor == notice.posted_by and created.created_at == notice.created_at
            if notice.status == NoticeStatus.DRAFT:
                assert not events.filter(action="notice.published").exists()
                continue
            published = events.get(action="notice.published")
            assert published.created_at == notice.published_at
            assert published.actor == notice.posted_by
            assert events.filter(action="notice.clause_checked").count() == 1
            if notice.status == NoticeStatus.AWARDED:
                award = events.get(action="notice.awarded")
                assert award.created_at == notice.awarded_at
                assert award.after["awarded_value"] == str(notice.awarded_value)
            if notice.status == NoticeStatus.CANCELLED:
                cancel = events.get(action="notice.cancelled")
                assert cancel.comment == notice.cancel_reason
                assert cancel.created_at == notice.cancelled_at
        for answer in Answer.objects.all():
            submitted = AuditEvent.objects.for_object(answer).get(action="answer.submitted")
            assert submitted.created_at == answer.created_at
