"""The demand register's services, called directly: the lifecycle of a notice, the social-clause
check, matching and its e-mails, answers and consortia, the award and the cancellation."""

import os
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from demand import services, tasks
from demand.models import Answer, DemandNotice, NoticeMatch, SocialClauseCheck
from directory.models import LegalForm
from directory.selectors import qualifies_for_reserved_contract
from pestor.models import AuditEvent
from tests.demand.factories import (
    AnswerFactory,
    ClauseCheckFactory,
    MatchFactory,
    NoticeFactory,
    PartnerFactory,
    company_notice,
    docx_file,
    odt_file,
    pdf_file,
)
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.exchange.factories import OfferFactory, cpv_code
from tests.factories import CompanyFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


def notice_fields(**overrides):
    fields = {
        "title": "Sprzątanie parku Miejskiego",
        "description": "Sprzątanie alejek raz w tygodniu od kwietnia do października.",
        "answers_deadline": timezone.now() + timedelta(days=10),
        "contact_name": "Jan Urzędnik",
        "contact_email": "jan@um.example.org",
        "estimated_value": Decimal("20000.00"),
    }
    fields.update(overrides)
    return fields


def events(obj, action=None):
    queryset = AuditEvent.objects.for_object(obj)
    if action:
        queryset = queryset.filter(action=action)
    return list(queryset)


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


# --- creating and editing ---------------------------------------------------------------------


def test_an_official_posts_a_draft_for_their_department(official, department, catering):
    notice = services.notice_create(
        actor=official, department=department, cpv_codes=[catering], **notice_fields()
    )
    assert notice.status == DemandNotice.Status.DRAFT
    assert notice.municipality == department.municipality
    assert notice.posted_by == official
    assert list(notice.cpv_codes.all()) == [catering]
    (event,) = events(notice, "notice.created")
    assert event.actor == official
    assert event.after["title"] == "Sprzątanie parku Miejskiego"


def test_an_official_cannot_post_for_another_department(official, catering, other_municipality):
    foreign = DepartmentFactory(municipality=other_municipality)
    with pytest.raises(ValidationError) as error:
        services.notice_create(
            actor=official, department=foreign, cpv_codes=[catering], **notice_fields()
        )
    assert "buyer" in error.value.message_dict
    assert not DemandNotice.objects.exists()


def test_a_business_buyer_posts_for_their_company_in_a_municipality_they_choose(
    business_buyer, municipality, catering
):
    company = business_buyer.buyer_memberships.get().company
    notice = services.notice_create(
        actor=business_buyer,
        company=company,
        municipality=municipality,
        cpv_codes=[catering],
        **notice_fields(),
    )
    assert notice.company == company
    assert notice.municipality == municipality
    assert notice.department is None


def test_a_business_buyer_must_choose_the_municipality_and_their_own_company(
    business_buyer, municipality, catering
):
    company = business_buyer.buyer_memberships.get().company
    with pytest.raises(ValidationError) as error:
        services.notice_create(
            actor=business_buyer, company=company, cpv_codes=[catering], **notice_fields()
        )
    assert "municipality" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.notice_create(
            actor=business_buyer,
            company=CompanyFactory(),
            municipality=municipality,
            cpv_codes=[catering],
            **notice_fields(),
        )
    assert "buyer" in error.value.message_dict


def test_a_notice_needs_a_cpv_code_and_a_future_deadline(official, department, catering):
    with pytest.raises(ValidationError) as error:
        services.notice_create(
            actor=official, department=department, cpv_codes=[], **notice_fields()
        )
    assert "cpv_codes" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.notice_create(
            actor=official,
            department=department,
            cpv_codes=[catering],
            **notice_fields(answers_deadline=timezone.now() - timedelta(minutes=1)),
        )
    assert "answers_deadline" in error.value.message_dict
    assert not DemandNotice.objects.exists()


def test_attachments_are_stored_privately(official, department, catering, settings):
    notice = services.notice_create(
        actor=official,
        department=department,
        cpv_codes=[catering],
        attachments=[pdf_file("opis.pdf"), odt_file(), docx_file()],
        **notice_fields(),
    )
    attachments = list(notice.attachments.all())
    assert [a.title for a in attachments] == ["opis.pdf", "opis.odt", "oferta.docx"]
    path = attachments[0].file.path
    assert path.startswith(os.fspath(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(os.fspath(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        attachments[0].file.url  # noqa: B018  (private files have no URL)


def test_attachments_are_stored_under_names_the_portal_chose(official, department, catering):
    notice = services.notice_create(
        actor=official,
        department=department,
        cpv_codes=[catering],
        attachments=[pdf_file("Opis <script>.pdf.pdf"), docx_file("..\\..\\oferta.docx")],
        **notice_fields(),
    )

    pdf, docx = notice.attachments.all()
    assert re.fullmatch(r"demand/notices/\d{4}/[0-9a-f]{32}\.pdf", pdf.file.name)
    assert re.fullmatch(r"demand/notices/\d{4}/[0-9a-f]{32}\.docx", docx.file.name)
    assert pdf.title == "Opis <script>.pdf.pdf"  # shown (escaped) on the page, never a path
    assert pdf.download_name == "opis-scriptpdf.pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("skrypt.exe", b"MZ\x90\x00"),
        ("udaje.pdf", b"PK\x03\x04 a zip called pdf"),
        ("udaje.docx", b"%PDF-1.4 a pdf called docx"),
        ("obraz.png", b"\x89PNG\r\n"),
    ],
)
def test_an_attachment_must_be_what_its_extension_says(
    official, department, catering, name, content
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as error:
        services.notice_create(
            actor=official,
            department=department,
            cpv_codes=[catering],
            attachments=[SimpleUploadedFile(name, content)],
            **notice_fields(),
        )
    assert "attachments" in error.value.message_dict
    assert not DemandNotice.objects.exists()


def test_attachments_are_limited_in_size_and_number(official, department, catering, settings):
    settings.NOTICE_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError):
        services.notice_create(
            actor=official,
            department=department,
            cpv_codes=[catering],
            attachments=[pdf_file(size=101)],
            **notice_fields(),
        )
    settings.NOTICE_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(ValidationError) as error:
        services.notice_create(
            actor=official,
            department=department,
            cpv_codes=[catering],
            attachments=[pdf_file(f"{n}.pdf") for n in range(6)],
            **notice_fields(),
        )
    assert "5" in error.value.message_dict["attachments"][0]


def test_a_draft_is_edited_and_the_change_recorded(official, draft):
    services.notice_update(
        notice=draft,
        actor=official,
        title="Obiad dla seniorów z dowozem",
        attachments=[pdf_file()],
        **{k: v for k, v in notice_fields().items() if k != "title"},
    )
    draft.refresh_from_db()
    assert draft.title == "Obiad dla seniorów z dowozem"
    assert draft.attachments.count() == 1
    (event,) = events(draft, "notice.updated")
    assert event.before["title"] == "Obiad dla seniorów"
    assert event.after["title"] == "Obiad dla seniorów z dowozem"


def test_a_published_notice_cannot_be_edited(official, notice):
    with pytest.raises(ValidationError) as error:
        services.notice_update(notice=notice, actor=official, title="Zmieniony")
    assert error.value.code == "not_draft"
    notice.refresh_from_db()
    assert notice.title != "Zmieniony"


# --- the social-clause check -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "applies"),
    [("129999.99", False), ("130000.00", True), ("0.00", False), ("250000", True)],
)
def test_the_clause_check_compares_the_value_with_the_threshold(official, draft, value, applies):
    check = services.clause_check_save(
        notice=draft, actor=official, estimated_value=Decimal(value), reserved_for_pes=True
    )
    assert check.procurement_law_applies is applies
    assert check.decided_by == official


def test_without_a_clause_a_reason_is_required(official, draft):
    with pytest.raises(ValidationError) as error:
        services.clause_check_save(notice=draft, actor=official, estimated_value=Decimal("5000"))
    assert "no_clause_reason" in error.value.message_dict
    assert not SocialClauseCheck.objects.exists()
    check = services.clause_check_save(
        notice=draft,
        actor=official,
        estimated_value=Decimal("5000"),
        no_clause_reason="Usługa wymaga uprawnień, których nie ma żaden PES.",
    )
    assert not check.has_clause


def test_changing_the_check_keeps_one_record_and_logs_before_and_after(official, draft):
    services.clause_check_save(
        notice=draft, actor=official, estimated_value=Decimal("5000"), reserved_for_pes=True
    )
    services.clause_check_save(
        notice=draft,
        actor=official,
        estimated_value=Decimal("5000"),
        employment_requirement=True,
    )
    assert SocialClauseCheck.objects.filter(notice=draft).count() == 1
    last = events(draft, "notice.clause_checked")[0]
    assert last.before["reserved_for_pes"] is True
    assert last.after == {**last.after, "reserved_for_pes": False, "employment_requirement": True}


# --- publishing and matching -------------------------------------------------------------------


def test_an_official_cannot_publish_without_the_clause_check(official, draft):
    with pytest.raises(ValidationError) as error:
        services.notice_publish(notice=draft, actor=official)
    assert error.value.code == "clause_check_required"
    draft.refresh_from_db()
    assert draft.status == DemandNotice.Status.DRAFT


def test_a_business_buyer_publishes_without_the_check(business_buyer, municipality):
    company = business_buyer.buyer_memberships.get().company
    notice = company_notice(company, municipality=municipality)
    services.notice_publish(notice=notice, actor=business_buyer)
    notice.refresh_from_db()
    assert notice.status == DemandNotice.Status.PUBLISHED


def test_a_draft_whose_deadline_passed_cannot_be_published(official, department):
    draft = NoticeFactory(
        department=department, answers_deadline=timezone.now() - timedelta(minutes=5)
    )
    ClauseCheckFactory(notice=draft)
    with pytest.raises(ValidationError) as error:
        services.notice_publish(notice=draft, actor=official)
    assert "answers_deadline" in error.value.message_dict


@pytest.fixture
def matching_world(municipality, other_municipality, catering):
    """Organisations around a catering notice in ``municipality``: which of them match."""
    world = {}
    world["caterer"] = OrganisationFactory(
        name="Smaczna Spółdzielnia", legal_form=LegalForm.SOCIAL_COOPERATIVE
    )
    OfferFactory(
        organisation=world["caterer"],
        cpv=cpv_code("55521200"),  # another class of the same group 555
        municipalities_served=[municipality],
    )
    world["caterer_member"] = make_pes_member(world["caterer"], email="kucharz@example.org")
    world["caterer_editor"] = make_pes_member(
        world["caterer"], role="editor", email="pomocnik@example.org"
    )
    world["cleaner"] = OrganisationFactory(name="Czyste Miasto")
    OfferFactory(
        organisation=world["cleaner"],
        cpv=cpv_code("90910000"),
        municipalities_served=[municipality],
    )
    make_pes_member(world["cleaner"], email="sprzatacz@example.org")
    world["far"] = OrganisationFactory(name="Daleka Kuchnia", seat_municipality=other_municipality)
    OfferFactory(
        organisation=world["far"], cpv=catering, municipalities_served=[other_municipality]
    )
    make_pes_member(world["far"], email="daleko@example.org")
    world["pending"] = OrganisationFactory(name="Kuchnia W Trakcie", pending=True)
    OfferFactory(organisation=world["pending"], cpv=catering, municipalities_served=[municipality])
    make_pes_member(world["pending"], email="czeka@example.org")
    return world


def test_publishing_matches_the_pes_of_the_same_cpv_group_serving_the_municipality(
    official, draft, matching_world, mailoutbox, django_capture_on_commit_callbacks
):
    ClauseCheckFactory(notice=draft)
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_publish(notice=draft, actor=official)
    draft.refresh_from_db()
    assert draft.status == DemandNotice.Status.PUBLISHED
    assert draft.published_at is not None
    matched = [match.organisation for match in NoticeMatch.objects.filter(notice=draft)]
    assert matched == [matching_world["caterer"]]
    assert recipients(mailoutbox) == ["kucharz@example.org", "pomocnik@example.org"]
    assert draft.title in mailoutbox[0].subject
    assert draft.get_absolute_url() in mailoutbox[0].body
    assert NoticeMatch.objects.get(notice=draft).notified_at is not None
    (event,) = events(draft, "notice.published")
    assert event.actor == official


def test_the_e_mails_leave_only_after_the_commit(
    official, draft, matching_world, mailoutbox, django_capture_on_commit_callbacks
):
    ClauseCheckFactory(notice=draft)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notice_publish(notice=draft, actor=official)
    assert mailoutbox == []
    assert NoticeMatch.objects.get(notice=draft).notified_at is None
    # The e-mails' task, and the open-data files' rebuild (opendata.changes).
    assert len(callbacks) == 2


def test_notifying_twice_sends_nothing_twice(
    official, draft, matching_world, mailoutbox, django_capture_on_commit_callbacks
):
    ClauseCheckFactory(notice=draft)
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_publish(notice=draft, actor=official)
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify_matched_organisations(draft.pk) == 0
        assert tasks.notify_matched_organisations.delay(draft.pk).get() == 0
    # One message per member of the matched PES, none of them sent twice.
    assert len(mailoutbox) == sent == 2
    assert recipients(mailoutbox) == ["kucharz@example.org", "pomocnik@example.org"]
    assert all(len(message.to) == 1 for message in mailoutbox)


def test_a_match_added_later_is_notified_alone(
    notice, organisation, pes_owner, mailoutbox, django_capture_on_commit_callbacks
):
    NoticeMatch.objects.create(notice=notice, organisation=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.notify_matched_organisations(notice.pk) == 1
    assert recipients(mailoutbox) == [pes_owner.email]


# --- deadline and closing ----------------------------------------------------------------------


def test_the_deadline_is_extended_only_to_a_later_one_and_recorded(official, notice):
    old = notice.answers_deadline
    with pytest.raises(ValidationError) as error:
        services.notice_extend_deadline(
            notice=notice, actor=official, answers_deadline=old - timedelta(hours=1)
        )
    assert "answers_deadline" in error.value.message_dict
    new = old + timedelta(days=3)
    services.notice_extend_deadline(notice=notice, actor=official, answers_deadline=new)
    notice.refresh_from_db()
    assert notice.answers_deadline == new
    (event,) = events(notice, "notice.deadline_extended")
    assert event.before["answers_deadline"] != event.after["answers_deadline"]
    assert event.after["answers_deadline"].startswith(new.isoformat()[:16])


def test_an_expired_notice_cannot_be_extended(official, department):
    expired = NoticeFactory(department=department, expired=True)
    with pytest.raises(ValidationError):
        services.notice_extend_deadline(
            notice=expired, actor=official, answers_deadline=timezone.now() + timedelta(days=1)
        )


def test_the_periodic_task_closes_notices_past_their_deadline(
    department, official, notice, mailoutbox, django_capture_on_commit_callbacks
):
    expired = NoticeFactory(department=department, expired=True, posted_by=official)
    AnswerFactory(notice=expired)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.close_expired_notices() == 1
    expired.refresh_from_db()
    notice.refresh_from_db()
    assert expired.status == DemandNotice.Status.CLOSED
    assert expired.closed_at == expired.answers_deadline
    assert notice.status == DemandNotice.Status.PUBLISHED
    (event,) = events(expired, "notice.closed")
    assert event.actor is None
    assert recipients(mailoutbox) == sorted([expired.contact_email, official.email])
    assert "1" in mailoutbox[0].body
    assert tasks.close_expired_notices() == 0


def test_the_task_is_scheduled_every_ten_minutes(settings):
    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "demand.tasks.close_expired_notices"
    )
    assert entry["schedule"] == 600


def test_effective_status_closes_a_notice_before_the_task_runs(department):
    expired = NoticeFactory(department=department, expired=True)
    assert expired.status == DemandNotice.Status.PUBLISHED
    assert expired.effective_status == DemandNotice.Status.CLOSED
    assert not DemandNotice.objects.open_for_answers().filter(pk=expired.pk).exists()


# --- answers -----------------------------------------------------------------------------------


def test_a_pes_member_answers_once_per_organisation(notice, organisation, pes_owner, pes_editor):
    answer = services.answer_submit(
        notice=notice,
        organisation=organisation,
        actor=pes_owner,
        kind=Answer.Kind.OFFER,
        price_net=Decimal("3500.00"),
        terms="Faktura 14 dni",
        attachment=pdf_file("oferta.pdf"),
    )
    assert answer.submitted_by == pes_owner
    assert re.fullmatch(r"demand/answers/\d{4}/[0-9a-f]{32}\.pdf", answer.attachment.name)
    assert answer.attachment_download_name == f"odpowiedz-{answer.pk}.pdf"
    (event,) = events(answer, "answer.submitted")
    assert event.after["price_net"] == "3500.00"
    with pytest.raises(ValidationError) as error, translation.override("en"):
        services.answer_submit(
            notice=notice, organisation=organisation, actor=pes_editor, kind=Answer.Kind.INTEREST
        )
    assert "already answered" in error.value.message_dict["organisation"][0]
    assert Answer.objects.count() == 1


def test_an_offer_needs_a_price_but_interest_does_not(notice, organisation, pes_owner):
    with pytest.raises(ValidationError) as error:
        services.answer_submit(
            notice=notice, organisation=organisation, actor=pes_owner, kind=Answer.Kind.OFFER
        )
    assert "price_net" in error.value.message_dict
    answer = services.answer_submit(
        notice=notice, organisation=organisation, actor=pes_owner, kind=Answer.Kind.INTEREST
    )
    assert answer.price_net is None


def test_nobody_answers_after_the_deadline(department, organisation, pes_owner):
    expired = NoticeFactory(department=department, expired=True)
    with pytest.raises(ValidationError) as error:
        services.answer_submit(
            notice=expired, organisation=organisation, actor=pes_owner, kind=Answer.Kind.INTEREST
        )
    assert error.value.code == "deadline_passed"
    assert not Answer.objects.exists()


def test_the_deadline_is_checked_against_the_servers_clock_at_the_moment_of_writing(
    notice, organisation, pes_owner
):
    """The notice object the caller holds may say "open"; the locked row decides."""
    DemandNotice.objects.filter(pk=notice.pk).update(
        answers_deadline=timezone.now() - timedelta(seconds=1)
    )
    assert notice.is_open_for_answers  # the stale copy
    with pytest.raises(ValidationError):
        services.answer_submit(
            notice=notice, organisation=organisation, actor=pes_owner, kind=Answer.Kind.INTEREST
        )


def test_only_members_of_a_verified_organisation_answer(notice, organisation, signed_in_user):
    with pytest.raises(ValidationError):
        services.answer_submit(
            notice=notice,
            organisation=organisation,
            actor=signed_in_user,
            kind=Answer.Kind.INTEREST,
        )
    pending = OrganisationFactory(pending=True)
    member = make_pes_member(pending)
    with pytest.raises(ValidationError):
        services.answer_submit(
            notice=notice, organisation=pending, actor=member, kind=Answer.Kind.INTEREST
        )
    assert not Answer.objects.exists()


def test_a_consortium_answer_invites_its_partners(
    notice,
    organisation,
    pes_owner,
    other_organisation,
    other_pes_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer_submit(
            notice=notice,
            organisation=organisation,
            actor=pes_owner,
            kind=Answer.Kind.INTEREST,
            partners=[other_organisation],
        )
    partner = answer.partners.get()
    assert partner.organisation == other_organisation
    assert partner.confirmed_at is None
    assert recipients(mailoutbox) == [other_pes_member.email]
    assert f"/konsorcjum/{partner.pk}/potwierdz/" in mailoutbox[0].body


def test_partners_must_be_other_verified_pes_not_answering_themselves(
    notice, organisation, pes_owner, other_answer, other_organisation
):
    pending = OrganisationFactory(pending=True)
    for partners in ([organisation], [pending], [other_organisation]):
        with pytest.raises(ValidationError) as error:
            services.answer_submit(
                notice=notice,
                organisation=organisation,
                actor=pes_owner,
                kind=Answer.Kind.INTEREST,
                partners=partners,
            )
        assert "partners" in error.value.message_dict
    assert notice.answers.count() == 1


def test_a_partner_of_a_consortium_cannot_also_answer_alone(
    notice, answer, other_organisation, other_pes_member
):
    PartnerFactory(answer=answer, organisation=other_organisation)
    with pytest.raises(ValidationError) as error:
        services.answer_submit(
            notice=notice,
            organisation=other_organisation,
            actor=other_pes_member,
            kind=Answer.Kind.INTEREST,
        )
    assert "organisation" in error.value.message_dict


def test_the_buyer_side_cannot_answer_its_own_notice(notice, organisation, official):
    from directory.models import OrganisationMembership

    OrganisationMembership.objects.create(organisation=organisation, user=official, role="editor")
    with pytest.raises(ValidationError) as error:
        services.answer_submit(
            notice=notice, organisation=organisation, actor=official, kind=Answer.Kind.INTEREST
        )
    assert error.value.code == "buyer_side"


def test_an_answer_is_changed_until_the_deadline_and_the_change_recorded(
    answer, pes_editor, other_organisation, mailoutbox, django_capture_on_commit_callbacks
):
    kept = PartnerFactory(answer=answer, confirmed_at=timezone.now())
    dropped = PartnerFactory(answer=answer)
    make_pes_member(other_organisation, email="nowy-partner@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_update(
            answer=answer,
            actor=pes_editor,
            kind=Answer.Kind.OFFER,
            price_net=Decimal("3300.00"),
            terms="Nowe warunki",
            partners=[kept.organisation, other_organisation],
        )
    answer.refresh_from_db()
    assert answer.price_net == Decimal("3300.00")
    partners = {p.organisation_id: p for p in answer.partners.all()}
    assert set(partners) == {kept.organisation_id, other_organisation.pk}
    assert partners[kept.organisation_id].confirmed_at is not None
    assert dropped.organisation_id not in partners
    assert recipients(mailoutbox) == ["nowy-partner@example.org"]
    (event,) = events(answer, "answer.updated")
    assert event.before["price_net"] == "3600.00"
    assert event.after["price_net"] == "3300.00"
    assert event.actor == pes_editor


def test_an_answer_cannot_be_changed_after_the_deadline(answer, pes_owner):
    DemandNotice.objects.filter(pk=answer.notice_id).update(
        answers_deadline=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError) as error:
        services.answer_update(
            answer=answer, actor=pes_owner, kind=Answer.Kind.OFFER, price_net=Decimal("1")
        )
    assert error.value.code == "deadline_passed"
    answer.refresh_from_db()
    assert answer.price_net == Decimal("3600.00")


def test_a_partner_confirms_once_before_the_deadline(answer, other_organisation, other_pes_member):
    partner = PartnerFactory(answer=answer, organisation=other_organisation)
    services.partner_confirm(partner=partner, actor=other_pes_member)
    partner.refresh_from_db()
    assert partner.confirmed_by == other_pes_member
    assert events(answer, "partner.confirmed")[0].after == {"partner": other_organisation.name}
    with pytest.raises(ValidationError):
        services.partner_confirm(partner=partner, actor=other_pes_member)


def test_a_partner_cannot_confirm_after_the_deadline(answer, other_organisation, other_pes_member):
    partner = PartnerFactory(answer=answer, organisation=other_organisation)
    DemandNotice.objects.filter(pk=answer.notice_id).update(
        answers_deadline=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError):
        services.partner_confirm(partner=partner, actor=other_pes_member)
    partner.refresh_from_db()
    assert partner.confirmed_at is None


def test_only_a_member_of_the_partner_confirms(answer, other_organisation, pes_owner):
    partner = PartnerFactory(answer=answer, organisation=other_organisation)
    with pytest.raises(ValidationError):
        services.partner_confirm(partner=partner, actor=pes_owner)


def test_an_answer_is_withdrawn_only_by_its_member_before_the_deadline(
    answer, pes_editor, other_pes_member, django_capture_on_commit_callbacks
):
    answer.attachment = pdf_file("oferta.pdf")
    answer.save()
    stored = answer.attachment.name
    with pytest.raises(ValidationError):
        services.answer_withdraw(answer=answer, actor=other_pes_member)
    DemandNotice.objects.filter(pk=answer.notice_id).update(
        answers_deadline=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError):
        services.answer_withdraw(answer=answer, actor=pes_editor)
    DemandNotice.objects.filter(pk=answer.notice_id).update(
        answers_deadline=timezone.now() + timedelta(days=1)
    )
    storage = answer.attachment.storage
    assert storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.answer_withdraw(answer=answer, actor=pes_editor)
    assert not Answer.objects.filter(pk=answer.pk).exists()
    (event,) = events(notice, "answer.withdrawn")
    assert event.before["price_net"] == "3600.00"
    assert not storage.exists(stored)


def test_a_partner_declines_only_before_the_deadline(
    answer, other_organisation, other_pes_member, pes_owner
):
    partner = PartnerFactory(answer=answer, organisation=other_organisation)
    with pytest.raises(ValidationError):
        services.partner_decline(partner=partner, actor=pes_owner)
    DemandNotice.objects.filter(pk=answer.notice_id).update(
        answers_deadline=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError):
        services.partner_decline(partner=partner, actor=other_pes_member)
    assert answer.partners.exists()


# --- the social clauses: art. 94 reservation, art. 96 employment requirement -------------------


@pytest.fixture
def unqualified(municipality):
    """A verified association with no staff from excluded groups, and its member."""
    association = OrganisationFactory(
        name="Stowarzyszenie Bez Zatrudnienia",
        legal_form=LegalForm.ASSOCIATION,
        employees=10,
        employees_at_risk=1,
        seat_municipality=municipality,
    )
    return association, make_pes_member(association, email="bez@example.org")


def test_an_organisation_that_does_not_qualify_cannot_answer_a_reserved_notice(notice, unqualified):
    association, member = unqualified
    with pytest.raises(ValidationError) as caught:
        services.answer_submit(
            notice=notice, organisation=association, actor=member, kind=Answer.Kind.INTEREST
        )
    (reason,) = caught.value.message_dict["organisation"]
    assert association.name in reason and "art. 94" in reason
    assert not notice.answers.exists()


def test_the_same_organisation_answers_a_notice_that_is_not_reserved(notice, unqualified):
    association, member = unqualified
    SocialClauseCheck.objects.filter(notice=notice).update(
        reserved_for_pes=False, employment_requirement=True
    )
    notice = DemandNotice.objects.get(pk=notice.pk)
    answer = services.answer_submit(
        notice=notice,
        organisation=association,
        actor=member,
        kind=Answer.Kind.INTEREST,
        employment_confirmed=True,
    )
    assert answer.organisation == association


def test_every_consortium_partner_of_a_reserved_answer_must_qualify(
    notice, organisation, pes_owner, unqualified
):
    association, _member = unqualified
    with pytest.raises(ValidationError) as caught:
        services.answer_submit(
            notice=notice,
            organisation=organisation,
            actor=pes_owner,
            kind=Answer.Kind.INTEREST,
            partners=[association],
        )
    assert association.name in caught.value.message_dict["partners"][0]
    assert not notice.answers.exists()


def test_a_partner_that_no_longer_qualifies_cannot_confirm(answer, other_organisation):
    member = make_pes_member(other_organisation, email="partner@example.org")
    partner = PartnerFactory(answer=answer, organisation=other_organisation)
    other_organisation.employees_at_risk = 1
    other_organisation.save()
    with pytest.raises(ValidationError) as caught:
        services.partner_confirm(partner=partner, actor=member)
    assert caught.value.message_dict["organisation"] == [
        qualifies_for_reserved_contract(other_organisation).reason
    ]
    partner.refresh_from_db()
    assert partner.confirmed_at is None


def test_a_reserved_notice_is_matched_only_to_qualifying_pes(
    official, draft, municipality, catering, unqualified
):
    association, _member = unqualified
    OfferFactory(organisation=association, cpv=catering, municipalities_served=[municipality])
    staffed = OrganisationFactory(name="Firma Z Zatrudnieniem", employees=10, employees_at_risk=3)
    OfferFactory(organisation=staffed, cpv=catering, municipalities_served=[municipality])
    ClauseCheckFactory(notice=draft)
    services.notice_publish(notice=draft, actor=official)
    matched = {match.organisation for match in NoticeMatch.objects.filter(notice=draft)}
    assert matched == {staffed}


def test_an_employment_requirement_must_be_confirmed_in_the_answer(notice, organisation, pes_owner):
    SocialClauseCheck.objects.filter(notice=notice).update(employment_requirement=True)
    notice = DemandNotice.objects.get(pk=notice.pk)
    with pytest.raises(ValidationError) as caught:
        services.answer_submit(
            notice=notice, organisation=organisation, actor=pes_owner, kind=Answer.Kind.INTEREST
        )
    assert "employment_confirmed" in caught.value.message_dict
    answer = services.answer_submit(
        notice=notice,
        organisation=organisation,
        actor=pes_owner,
        kind=Answer.Kind.INTEREST,
        employment_confirmed=True,
    )
    assert answer.employment_confirmed
    (event,) = events(answer, "answer.submitted")
    assert event.after["employment_confirmed"] is True


# --- award and cancellation --------------------------------------------------------------------


@pytest.fixture
def closed_with_answers(department, organisation, pes_owner, other_organisation, other_pes_member):
    notice = NoticeFactory(department=department, expired=True)
    winner = AnswerFactory(notice=notice, organisation=organisation)
    loser = AnswerFactory(notice=notice, organisation=other_organisation)
    partner_org = OrganisationFactory(name="Partner Zwycięzcy")
    PartnerFactory(answer=winner, organisation=partner_org, confirmed_at=timezone.now())
    make_pes_member(partner_org, email="partner@example.org")
    return notice, winner, loser


def test_the_award_is_recorded_and_every_answering_pes_told(
    official,
    closed_with_answers,
    pes_owner,
    other_pes_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    notice, winner, loser = closed_with_answers
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_award(
            notice=notice,
            actor=official,
            answers=[winner],
            awarded_value=Decimal("3500.00"),
            award_date=timezone.localdate(),
        )
    notice.refresh_from_db()
    winner.refresh_from_db()
    loser.refresh_from_db()
    assert notice.status == DemandNotice.Status.AWARDED
    assert notice.awarded_value == Decimal("3500.00")
    assert notice.closed_at == notice.answers_deadline
    assert winner.is_awarded and not loser.is_awarded
    by_recipient = {address: message for message in mailoutbox for address in message.to}
    assert set(by_recipient) == {pes_owner.email, "partner@example.org", other_pes_member.email}
    assert "3\xa0500,00" in by_recipient[pes_owner.email].body
    assert by_recipient[pes_owner.email].subject == by_recipient["partner@example.org"].subject
    assert by_recipient[other_pes_member.email].subject != by_recipient[pes_owner.email].subject
    (event,) = events(notice, "notice.awarded")
    assert event.actor == official
    assert event.after["organisations"] == [winner.organisation.name]


def test_several_answers_can_be_awarded(official, closed_with_answers):
    notice, winner, loser = closed_with_answers
    services.notice_award(
        notice=notice,
        actor=official,
        answers=[winner, loser],
        awarded_value=Decimal("7100"),
        award_date=timezone.localdate(),
    )
    assert notice.answers.filter(is_awarded=True).count() == 2


def test_no_award_before_the_deadline(official, answer):
    with pytest.raises(ValidationError) as error:
        services.notice_award(
            notice=answer.notice,
            actor=official,
            answers=[answer],
            awarded_value=Decimal("1"),
            award_date=timezone.localdate(),
        )
    assert error.value.code == "not_closed"


def test_the_award_names_answers_of_this_notice_a_value_and_a_past_date(
    official, closed_with_answers, answer
):
    notice, winner, _loser = closed_with_answers
    with pytest.raises(ValidationError) as error:
        services.notice_award(
            notice=notice,
            actor=official,
            answers=[answer],
            awarded_value=Decimal("1"),
            award_date=timezone.localdate(),
        )
    assert "answers" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.notice_award(
            notice=notice,
            actor=official,
            answers=[winner],
            awarded_value=Decimal("1"),
            award_date=timezone.localdate() + timedelta(days=1),
        )
    assert "award_date" in error.value.message_dict
    notice.refresh_from_db()
    assert notice.status == DemandNotice.Status.PUBLISHED


def test_cancelling_needs_a_reason_and_tells_the_answering_pes(
    official, closed_with_answers, pes_owner, mailoutbox, django_capture_on_commit_callbacks
):
    notice, _winner, _loser = closed_with_answers
    with pytest.raises(ValidationError):
        services.notice_cancel(notice=notice, actor=official, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.notice_cancel(notice=notice, actor=official, reason="Brak środków w budżecie.")
    notice.refresh_from_db()
    assert notice.status == DemandNotice.Status.CANCELLED
    assert notice.cancel_reason == "Brak środków w budżecie."
    assert len(recipients(mailoutbox)) == 3
    assert all("Brak środków w budżecie." in message.body for message in mailoutbox)
    (event,) = events(notice, "notice.cancelled")
    assert event.comment == "Brak środków w budżecie."
    assert event.before == {"status": DemandNotice.Status.CLOSED}


def test_drafts_and_published_notices_can_be_cancelled_but_not_awarded_ones(
    official, draft, notice, department
):
    services.notice_cancel(notice=draft, actor=official, reason="Pomyłka")
    services.notice_cancel(notice=notice, actor=official, reason="Zmiana planów")
    awarded = NoticeFactory(department=department, awarded=True)
    with pytest.raises(ValidationError):
        services.notice_cancel(notice=awarded, actor=official, reason="Za późno")
    awarded.refresh_from_db()
    assert awarded.status == DemandNotice.Status.AWARDED


# --- corrections of a published notice ---------------------------------------------------------


def test_a_correction_is_recorded_shown_and_sent_to_the_pes_concerned(
    official,
    notice,
    answer,
    pes_owner,
    other_organisation,
    other_pes_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    MatchFactory(notice=notice, organisation=other_organisation)
    with django_capture_on_commit_callbacks(execute=True):
        correction = services.notice_correct(
            notice=notice,
            actor=official,
            reason="Zmiana miejsca dostawy.",
            delivery_place="Toruń, Dwór Artusa",
            contact_phone="56 611 00 00",
        )
    assert correction.changes["delivery_place"][1] == "Toruń, Dwór Artusa"
    assert set(correction.changes) == {"delivery_place", "contact_phone"}
    assert not correction.is_material
    assert correction.corrected_by == official
    assert sorted(recipients(mailoutbox)) == sorted([pes_owner.email, other_pes_member.email])
    assert "Toruń, Dwór Artusa" in mailoutbox[0].body
    (event,) = events(notice, "notice.corrected")
    assert event.comment == "Zmiana miejsca dostawy."


def test_a_material_change_needs_a_deadline_three_days_ahead(official, notice, catering):
    NoticeFactory._meta.model.objects.filter(pk=notice.pk).update(
        answers_deadline=timezone.now() + timedelta(days=2)
    )
    notice.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.notice_correct(notice=notice, actor=official, reason="Więcej", quantity=500)
    assert "answers_deadline" in caught.value.message_dict
    notice.refresh_from_db()
    assert notice.quantity != 500
    assert not notice.corrections.exists()
    later = timezone.now() + timedelta(days=3, minutes=5)
    correction = services.notice_correct(
        notice=notice, actor=official, reason="Więcej", quantity=500, answers_deadline=later
    )
    assert correction.is_material
    assert set(correction.changes) == {"quantity", "answers_deadline"}


def test_a_shorter_deadline_is_a_material_change(official, notice):
    closer = timezone.now() + timedelta(days=5)
    assert closer < notice.answers_deadline
    correction = services.notice_correct(
        notice=notice, actor=official, reason="Krócej", answers_deadline=closer
    )
    assert correction.is_material
    with pytest.raises(ValidationError):
        services.notice_correct(
            notice=notice,
            actor=official,
            reason="Jutro",
            answers_deadline=timezone.now() + timedelta(days=1),
        )


def test_a_changed_cpv_code_is_material_and_an_empty_correction_is_refused(official, notice):
    with pytest.raises(ValidationError):
        services.notice_correct(notice=notice, actor=official, reason="Nic")
    with pytest.raises(ValidationError) as caught:
        services.notice_correct(notice=notice, actor=official, reason="", title="Nowy")
    assert "reason" in caught.value.message_dict
    NoticeFactory._meta.model.objects.filter(pk=notice.pk).update(
        answers_deadline=timezone.now() + timedelta(hours=5)
    )
    notice.refresh_from_db()
    with pytest.raises(ValidationError):
        services.notice_correct(
            notice=notice, actor=official, reason="Inne", cpv_codes=[cpv_code("90910000")]
        )
    assert [c.code for c in notice.cpv_codes.all()] == ["55520000"]


def test_a_closed_notice_cannot_be_corrected(official, department):
    expired = NoticeFactory(department=department, expired=True)
    with pytest.raises(ValidationError):
        services.notice_correct(notice=expired, actor=official, reason="Za późno", title="X")


# --- questions and answers ---------------------------------------------------------------------


def test_a_pes_asks_the_buyer_answers_and_the_pes_concerned_are_told(
    official,
    notice,
    organisation,
    pes_owner,
    other_organisation,
    other_pes_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    MatchFactory(notice=notice, organisation=other_organisation)
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(
            notice=notice, organisation=organisation, actor=pes_owner, question="Ile osób?"
        )
    buyer = {notice.contact_email} | ({notice.posted_by.email} if notice.posted_by else set())
    assert recipients(mailoutbox) == sorted(buyer)
    assert organisation.name in mailoutbox[0].body
    mailoutbox.clear()
    with pytest.raises(ValidationError):
        services.question_answer(question=question, actor=pes_owner, answer="Sto")
    with django_capture_on_commit_callbacks(execute=True):
        services.question_answer(question=question, actor=official, answer="Około 120 osób.")
    question.refresh_from_db()
    assert question.is_answered and question.answered_by == official
    assert recipients(mailoutbox) == sorted([pes_owner.email, other_pes_member.email])
    assert "Około 120 osób." in mailoutbox[0].body
    assert organisation.name not in mailoutbox[0].body
    with pytest.raises(ValidationError):
        services.question_answer(question=question, actor=official, answer="Jeszcze raz")


def test_nobody_asks_after_the_deadline_and_the_buyer_does_not_ask(
    official, department, organisation, pes_owner, notice
):
    expired = NoticeFactory(department=department, expired=True)
    with pytest.raises(ValidationError):
        services.question_ask(
            notice=expired, organisation=organisation, actor=pes_owner, question="Czy?"
        )
    with pytest.raises(ValidationError) as caught:
        services.question_ask(
            notice=notice, organisation=organisation, actor=pes_owner, question=" "
        )
    assert "question" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.question_ask(
            notice=notice, organisation=organisation, actor=official, question="Czy?"
        )


# --- e-mails sent once, however often a message is delivered ------------------------------------


def deliver_twice(capture, callbacks):
    """Every queued message delivered twice (a lost worker's message comes back), down to the
    e-mails the tasks queue."""
    for callback in callbacks:
        for _ in range(2):
            with capture(execute=False) as queued:
                callback()
            deliver_twice(capture, queued)


def test_matching_e_mails_are_sent_once_when_every_message_comes_twice(
    official, draft, matching_world, mailoutbox, django_capture_on_commit_callbacks
):
    ClauseCheckFactory(notice=draft)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.notice_publish(notice=draft, actor=official)
    deliver_twice(django_capture_on_commit_callbacks, queued)
    assert recipients(mailoutbox) == ["kucharz@example.org", "pomocnik@example.org"]


def test_closing_e_mails_are_sent_once_when_the_task_runs_twice(
    department, official, mailoutbox, django_capture_on_commit_callbacks
):
    expired = NoticeFactory(department=department, expired=True, posted_by=official)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        tasks.close_expired_notices()
    # The task's e-mails queued, the notice closed; then a second run finds nothing to close
    # but each e-mail message is delivered twice.
    deliver_twice(django_capture_on_commit_callbacks, queued)
    assert recipients(mailoutbox) == sorted([expired.contact_email, official.email])


def test_outcome_e_mails_are_sent_once_when_every_message_comes_twice(
    official,
    closed_with_answers,
    pes_owner,
    other_pes_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    notice, winner, _loser = closed_with_answers
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.notice_award(
            notice=notice,
            actor=official,
            answers=[winner],
            awarded_value=Decimal("3500.00"),
            award_date=timezone.localdate(),
        )
    deliver_twice(django_capture_on_commit_callbacks, queued)
    assert recipients(mailoutbox) == sorted(
        [pes_owner.email, "partner@example.org", other_pes_member.email]
    )


def test_an_answer_change_that_fails_keeps_the_attachment_it_would_have_removed(
    notice, organisation, pes_owner, django_capture_on_commit_callbacks
):
    """The file was deleted before the change was validated: the rolled-back answer still
    pointed at it and its download became a 500."""
    answer = services.answer_submit(
        notice=notice,
        organisation=organisation,
        actor=pes_owner,
        kind=Answer.Kind.INTEREST,
        attachment=pdf_file("oferta.pdf"),
    )
    path = answer.attachment.path
    with pytest.raises(ValidationError):
        services.answer_update(
            answer=answer,
            actor=pes_owner,
            kind=Answer.Kind.INTEREST,
            remove_attachment=True,
            partners=[organisation],  # its own partner: refused after the attachment is dropped
        )
    answer.refresh_from_db()
    assert answer.attachment.name and os.path.exists(path)

    with django_capture_on_commit_callbacks(execute=True):
        services.answer_update(
            answer=answer, actor=pes_owner, kind=Answer.Kind.INTEREST, remove_attachment=True
        )
    answer.refresh_from_db()
    assert not answer.attachment
    assert not os.path.exists(path)
