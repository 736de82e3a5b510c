"""The demand register's pages over HTTP: every view against every role, bad input that loses
nothing, and query counts that do not grow with the rows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from demand.models import (
    Answer,
    ConsortiumPartner,
    DemandNotice,
    NoticeAttachment,
    NoticeQuestion,
    SocialClauseCheck,
)
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
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db


def matrix(**overrides):
    """Every role's expected outcome: ``default`` for the signed-in ones, login for residents."""
    default = overrides.pop("default")
    table = dict.fromkeys(ROLES, default)
    table["resident"] = "login"
    table.update(overrides)
    return table


def notice_form_data(**overrides):
    data = {
        "title": "Sprzątanie parku Miejskiego",
        "description": "Sprzątanie alejek raz w tygodniu.",
        "cpv_codes": ["55520000"],
        "quantity": "30",
        "unit": "godz.",
        "estimated_value": "20000.00",
        "answers_deadline": (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "delivery_from": "",
        "delivery_to": "",
        "delivery_place": "Park Miejski",
        "contact_name": "Jan Urzędnik",
        "contact_email": "jan@um.example.org",
        "contact_phone": "",
    }
    data.update(overrides)
    return data


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


# --- public pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_open_notices_only(role, as_role, client, notice, draft, department):
    closed = NoticeFactory(department=department, closed=True, title="Zamknięte ogłoszenie")
    expired = NoticeFactory(department=department, expired=True, title="Przeterminowane")
    as_role(role)
    content = client.get(reverse("demand:notice-list")).content.decode()
    assert notice.title in content
    assert draft.title not in content
    assert closed.title not in content
    assert expired.title not in content


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_a_published_notice_with_its_clauses(role, as_role, client, notice):
    as_role(role)
    response = client.get(notice.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert notice.title in content
    assert "art. 94" in content


DRAFT_DETAIL = matrix(default=404, resident=404, official=200, admin_user=200)


@pytest.mark.parametrize(("role", "expected"), DRAFT_DETAIL.items())
def test_a_draft_is_seen_only_by_its_buyer_side(role, expected, as_role, client, draft):
    as_role(role)
    assert client.get(draft.get_absolute_url()).status_code == expected


def test_a_company_draft_is_seen_by_its_buyers_only(client, business_buyer, official, municipality):
    draft = company_notice(
        business_buyer.buyer_memberships.get().company, municipality=municipality
    )
    client.force_login(business_buyer)
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.force_login(official)
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_a_cancelled_published_notice_stays_public_with_its_reason(
    role, as_role, client, department
):
    cancelled = NoticeFactory(department=department, cancelled=True)
    as_role(role)
    response = client.get(cancelled.get_absolute_url())
    assert response.status_code == 200
    assert cancelled.cancel_reason in response.content.decode()


ANSWERS_SEEN = {
    "resident": set(),
    "signed_in_user": set(),
    "pes_owner": {"own"},
    "pes_editor": {"own"},
    "other_pes_member": {"other"},
    "official": {"own", "other"},
    "other_official": set(),
    "monitoring_member": set(),
    "business_buyer": set(),
    "admin_user": {"own", "other"},
}


@pytest.mark.parametrize(("role", "expected"), ANSWERS_SEEN.items())
def test_a_pes_never_sees_another_pes_answer(
    role, expected, as_role, client, notice, answer, other_answer
):
    answer.message = "Wiadomość własna PES"
    answer.save()
    as_role(role)
    content = client.get(notice.get_absolute_url()).content.decode()
    seen = set()
    if "Wiadomość własna PES" in content:
        seen.add("own")
    if "Oferta Fundacji Inny Świat" in content:
        seen.add("other")
    assert seen == expected


def test_the_buyer_sees_the_matching_pes_right_after_publishing(
    client, official, draft, organisation, municipality, django_capture_on_commit_callbacks
):
    OfferFactory(
        organisation=organisation, cpv=cpv_code("55520000"), municipalities_served=[municipality]
    )
    ClauseCheckFactory(notice=draft)
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("demand:notice-publish", args=[draft.pk]), follow=True)
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "Matching PES" in content or "pasujące" in content.lower()
    assert organisation.name in content
    assert response.context["matches"][0].organisation == organisation
    assert response.context["answers"] == []


def test_an_awarded_notice_shows_who_won_for_how_much_and_when(
    client, department, organisation, other_organisation
):
    awarded = NoticeFactory(department=department, awarded=True, awarded_value=Decimal("12500.00"))
    winner = AnswerFactory(notice=awarded, organisation=organisation, is_awarded=True)
    PartnerFactory(answer=winner, organisation=other_organisation, confirmed_at=timezone.now())
    AnswerFactory(notice=awarded, organisation=OrganisationFactory(name="Przegrany PES"))
    for url in [awarded.get_absolute_url(), reverse("demand:result-list")]:
        content = client.get(url).content.decode()
        assert organisation.name in content
        assert other_organisation.name in content
        assert "Przegrany PES" not in content
        assert "12\xa0500,00" in content
        assert timezone.localdate().strftime("%d.%m.%Y") in content


def test_the_list_filters_combine_and_keep_their_values(
    client, notice, department, business_buyer, other_municipality
):
    cleaning = NoticeFactory(
        department=department,
        published=True,
        title="Sprzątanie Łazienek",
        cpv_codes=[cpv_code("90910000")],
        answers_deadline=timezone.now() + timedelta(days=6),
    )
    company = company_notice(
        business_buyer.buyer_memberships.get().company,
        municipality=other_municipality,
        published=True,
        title="Catering dla firmy",
        answers_deadline=timezone.now() + timedelta(days=30),
    )
    url = reverse("demand:notice-list")

    def titles(**params):
        return {n.title for n in client.get(url, params).context["notices"]}

    assert titles() == {notice.title, cleaning.title, company.title}
    assert titles(cpv="55000000") == {notice.title, company.title}  # the division finds classes
    assert titles(cpv="90000000") == {cleaning.title}
    assert titles(buyer="company") == {company.title}
    assert titles(buyer="city") == {notice.title, cleaning.title}
    assert titles(municipality=other_municipality.slug) == {company.title}
    assert titles(reserved="on") == {notice.title}
    assert titles(closing_soon="on") == {cleaning.title}
    assert titles(q="LAZIENEK") == {cleaning.title}
    response = client.get(url, {"cpv": "55000000", "buyer": "company"})
    assert 'value="company" selected' in response.content.decode()


def test_the_list_is_sorted_by_deadline_and_paginated(client, department):
    now = timezone.now()
    for days in range(25, 0, -1):
        NoticeFactory(
            department=department,
            published=True,
            title=f"Ogłoszenie {days:02d}",
            answers_deadline=now + timedelta(days=days),
        )
    first = client.get(reverse("demand:notice-list"))
    second = client.get(reverse("demand:notice-list"), {"page": 2})
    assert [n.title for n in first.context["notices"]][:3] == [
        "Ogłoszenie 01",
        "Ogłoszenie 02",
        "Ogłoszenie 03",
    ]
    assert len(first.context["notices"]) == 20
    assert len(second.context["notices"]) == 5


# --- query counts ------------------------------------------------------------------------------


def _fill(department, make, count):
    for _ in range(count):
        make(department)


def test_public_lists_run_a_fixed_number_of_queries(client, department, organisation):
    def open_notice(dept):
        notice = NoticeFactory(
            department=dept, published=True, cpv_codes=[cpv_code("55520000"), cpv_code("90910000")]
        )
        ClauseCheckFactory(notice=notice)

    def awarded_notice(dept):
        notice = NoticeFactory(department=dept, awarded=True)
        answer = AnswerFactory(notice=notice, is_awarded=True)
        PartnerFactory(answer=answer, confirmed_at=timezone.now())

    open_notice(department)
    awarded_notice(department)
    one = {
        name: count_queries(client, reverse(name))
        for name in ["demand:notice-list", "demand:result-list"]
    }
    _fill(department, open_notice, 19)
    _fill(department, awarded_notice, 19)
    many = {
        name: count_queries(client, reverse(name))
        for name in ["demand:notice-list", "demand:result-list"]
    }
    assert one == many


def test_my_notices_runs_a_fixed_number_of_queries(client, official, department):
    client.force_login(official)
    NoticeFactory(department=department)
    one = count_queries(client, reverse("demand:my-notices"))
    for _ in range(19):
        notice = NoticeFactory(department=department, published=True)
        AnswerFactory.create_batch(2, notice=notice)
    assert count_queries(client, reverse("demand:my-notices")) == one


def test_pes_pages_run_a_fixed_number_of_queries(client, pes_owner, organisation, department):
    client.force_login(pes_owner)

    def matched_and_answered():
        notice = NoticeFactory(department=department, published=True)
        ClauseCheckFactory(notice=notice)
        MatchFactory(notice=notice, organisation=organisation)
        answer = AnswerFactory(notice=notice, organisation=organisation)
        PartnerFactory(answer=answer)

    matched_and_answered()
    urls = [reverse("demand:matched-notices"), reverse("demand:my-answers")]
    one = [count_queries(client, url) for url in urls]
    for _ in range(19):
        matched_and_answered()
    assert [count_queries(client, url) for url in urls] == one


def test_the_buyers_notice_page_runs_a_fixed_number_of_queries(client, official, notice):
    client.force_login(official)
    AnswerFactory(notice=notice)
    MatchFactory(notice=notice)
    client.get(notice.get_absolute_url())  # content types of the event log are cached once
    one = count_queries(client, notice.get_absolute_url())
    for _ in range(19):
        answer = AnswerFactory(notice=notice)
        PartnerFactory.create_batch(2, answer=answer)
        MatchFactory(notice=notice)
    assert count_queries(client, notice.get_absolute_url()) == one


# --- posting and editing notices ---------------------------------------------------------------

POST_NOTICE = matrix(default=403, official=200, other_official=200, business_buyer=200)


@pytest.mark.parametrize(("role", "expected"), POST_NOTICE.items())
def test_officials_and_business_buyers_post_notices(
    role, expected, as_role, client, catering, pes_owner, pes_editor, municipality
):
    user = as_role(role)
    url = reverse("demand:notice-create")
    assert outcome(client.get(url)) == expected
    data = notice_form_data()
    if expected == 200:
        form = client.get(url).context["form"]
        data["buyer"] = form.fields["buyer"].choices[0][0]
        data["municipality"] = municipality.slug
    response = client.post(url, data)
    if expected == 200:
        assert response.status_code == 302
        notice = DemandNotice.objects.get()
        assert notice.posted_by == user
        assert notice.status == DemandNotice.Status.DRAFT
    else:
        assert outcome(response) == expected
        assert not DemandNotice.objects.exists()


def test_a_business_buyers_notice_without_a_municipality_is_in_the_companys(
    client, business_buyer, catering, other_municipality
):
    client.force_login(business_buyer)
    company = business_buyer.buyer_memberships.get().company
    url = reverse("demand:notice-create")
    form = client.get(url).context["form"]
    assert not form.fields["municipality"].required  # shown as optional, so it must be

    response = client.post(url, notice_form_data(buyer=f"company:{company.pk}", municipality=""))

    assert response.status_code == 302, response.context["form"].errors
    notice = DemandNotice.objects.get()
    assert notice.company == company
    assert notice.municipality == company.municipality

    # A municipality that does not exist is explained, and nothing typed is lost.
    edit = reverse("demand:notice-edit", args=[notice.pk])
    response = client.post(edit, notice_form_data(municipality="Nigdzie Wielkie"))
    assert response.status_code == 200
    assert "Nie ma gminy o nazwie „Nigdzie Wielkie”" in " ".join(
        response.context["form"].errors["municipality"]
    )
    assert 'value="Nigdzie Wielkie"' in response.content.decode()

    response = client.post(edit, notice_form_data(municipality=other_municipality.slug))
    assert response.status_code == 302, response.context["form"].errors
    notice.refresh_from_db()
    assert notice.municipality == other_municipality
    response = client.post(edit, notice_form_data(municipality=""))
    assert response.status_code == 302, response.context["form"].errors
    notice.refresh_from_db()
    assert notice.municipality == company.municipality


def test_an_official_is_sent_to_the_clause_check_after_saving(client, official, catering):
    client.force_login(official)
    form = client.get(reverse("demand:notice-create")).context["form"]
    assert "municipality" not in form.fields  # a department's notice is in its municipality
    response = client.post(
        reverse("demand:notice-create"),
        {**notice_form_data(), "buyer": form.fields["buyer"].choices[0][0]},
    )
    notice = DemandNotice.objects.get()
    assert response["Location"] == reverse("demand:notice-clause-check", args=[notice.pk])
    assert notice.department == official.official_memberships.get().department


def test_a_department_of_another_official_cannot_be_chosen(
    client, official, other_official, catering
):
    foreign = other_official.official_memberships.get().department
    client.force_login(official)
    response = client.post(
        reverse("demand:notice-create"), {**notice_form_data(), "buyer": f"department:{foreign.pk}"}
    )
    assert response.status_code == 200
    assert "buyer" in response.context["form"].errors
    assert not DemandNotice.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"cpv_codes": ["55520000-9"]}, "cpv_codes"),
        ({"cpv_codes": ["55520000; xyzzy"]}, "cpv_codes"),
        ({"cpv_codes": []}, "cpv_codes"),
        ({"answers_deadline": "2020-01-01T10:00"}, "answers_deadline"),
        ({"contact_email": "nie-email"}, "contact_email"),
        ({"delivery_from": "2030-05-10", "delivery_to": "2030-05-01"}, "delivery_to"),
    ],
)
def test_bad_notice_input_is_explained_next_to_the_field_and_nothing_typed_is_lost(
    client, official, catering, overrides, field
):
    client.force_login(official)
    form = client.get(reverse("demand:notice-create")).context["form"]
    response = client.post(
        reverse("demand:notice-create"),
        {**notice_form_data(**overrides), "buyer": form.fields["buyer"].choices[0][0]},
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    content = response.content.decode()
    assert 'value="Sprzątanie parku Miejskiego"' in content
    assert 'role="alert"' in content
    for typed in overrides.get("cpv_codes", []):
        # What was typed stays: resolved codes as their code and name, the rest as typed.
        assert typed.split("; ")[-1] + '"' in content
    assert not DemandNotice.objects.exists()


@pytest.mark.parametrize(
    "typed",
    [
        ["55520000", "90910000"],  # the script sends one value per chosen code
        ["55520000-1, 90910000-9"],  # without it, codes separated by commas
        ["55520000-1 Usługi dostarczania posiłków; Usługi sprzątania"],  # as shown, or names
        ["5552 9091"],
    ],
)
def test_several_codes_are_chosen_or_typed(client, official, catering, typed):
    cpv_code("90910000")
    client.force_login(official)
    form = client.get(reverse("demand:notice-create")).context["form"]
    response = client.post(
        reverse("demand:notice-create"),
        {**notice_form_data(cpv_codes=typed), "buyer": form.fields["buyer"].choices[0][0]},
    )
    assert response.status_code == 302, response.context["form"].errors
    notice = DemandNotice.objects.get()
    assert sorted(notice.cpv_codes.values_list("code", flat=True)) == ["55520000", "90910000"]
    # The edit form shows them as text, and gives the script both codes.
    edit = client.get(reverse("demand:notice-edit", args=[notice.pk])).content.decode()
    assert "55520000-1 Usługi dostarczania posiłków; 90910000-9 " in edit
    assert "&quot;value&quot;: &quot;90910000&quot;" in edit


def test_attachments_are_checked_in_the_form(client, official, catering):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(official)
    form = client.get(reverse("demand:notice-create")).context["form"]
    data = {**notice_form_data(), "buyer": form.fields["buyer"].choices[0][0]}
    response = client.post(
        reverse("demand:notice-create"),
        {**data, "attachments": [SimpleUploadedFile("wirus.pdf", b"MZ not a pdf")]},
    )
    assert "attachments" in response.context["form"].errors
    assert not DemandNotice.objects.exists()
    response = client.post(
        reverse("demand:notice-create"),
        {**data, "attachments": [pdf_file("a.pdf"), pdf_file("b.pdf")]},
    )
    assert response.status_code == 302
    assert NoticeAttachment.objects.count() == 2


EDIT_DRAFT = matrix(default=404, official=200, admin_user=200)


@pytest.mark.parametrize(("role", "expected"), EDIT_DRAFT.items())
def test_only_the_buyer_side_edits_a_draft(
    role, expected, as_role, client, draft, pes_owner, pes_editor
):
    as_role(role)
    url = reverse("demand:notice-edit", args=[draft.pk])
    assert outcome(client.get(url)) == expected
    response = client.post(url, notice_form_data(title="Zmieniony tytuł"))
    draft.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert draft.title == "Zmieniony tytuł"
    else:
        assert outcome(response) == expected
        assert draft.title != "Zmieniony tytuł"


def test_a_published_notice_cannot_be_edited(client, official, notice):
    client.force_login(official)
    url = reverse("demand:notice-edit", args=[notice.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, notice_form_data(title="Zmieniony")).status_code == 403


@pytest.mark.parametrize(
    ("upload", "content_type", "filename"),
    [
        (
            pdf_file("Zał. 1 — opis.pdf"),
            "application/pdf",
            "zal-1-opis.pdf",
        ),
        (
            docx_file("oferta.html.docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "ofertahtml.docx",
        ),
        (odt_file("<img src=x>.odt"), "application/vnd.oasis.opendocument.text", "img-srcx.odt"),
    ],
)
def test_an_attachment_is_downloaded_under_a_name_and_type_from_its_checked_format(
    client, notice, upload, content_type, filename
):
    attachment = NoticeAttachment(notice=notice, file=upload, title=upload.name)
    attachment.full_clean()
    attachment.save()

    response = client.get(reverse("demand:attachment-download", args=[attachment.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_removing_an_attachment_of_a_draft(client, official, draft):
    attachment = NoticeAttachment.objects.create(notice=draft, file=pdf_file(), title="stary.pdf")
    client.force_login(official)
    response = client.post(
        reverse("demand:notice-edit", args=[draft.pk]),
        {**notice_form_data(), "remove_attachments": [attachment.pk]},
    )
    assert response.status_code == 302
    assert not draft.attachments.exists()


def test_attachments_of_a_draft_are_private_and_of_a_published_notice_public(
    client, official, draft, notice, signed_in_user
):
    private = NoticeAttachment.objects.create(notice=draft, file=pdf_file(), title="a.pdf")
    public = NoticeAttachment.objects.create(notice=notice, file=pdf_file(), title="b.pdf")
    private_url = reverse("demand:attachment-download", args=[private.pk])
    public_url = reverse("demand:attachment-download", args=[public.pk])
    response = client.get(public_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="b.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(private_url).status_code == 404
    client.force_login(signed_in_user)
    assert client.get(private_url).status_code == 404
    client.force_login(official)
    assert client.get(private_url).status_code == 200


# --- the clause check and publishing -----------------------------------------------------------


@pytest.mark.parametrize(("role", "expected"), EDIT_DRAFT.items())
def test_only_the_buyer_side_checks_clauses(role, expected, as_role, client, draft, pes_owner):
    as_role(role)
    url = reverse("demand:notice-clause-check", args=[draft.pk])
    assert outcome(client.get(url)) == expected
    response = client.post(url, {"estimated_value": "5000", "reserved_for_pes": "on"})
    assert outcome(response) == (302 if expected == 200 else expected)
    assert hasattr(DemandNotice.objects.get(pk=draft.pk), "clause_check") == (expected == 200)


def test_the_clause_check_explains_the_threshold_and_asks_why_no_clause(client, official, draft):
    client.force_login(official)
    url = reverse("demand:notice-clause-check", args=[draft.pk])
    content = client.get(url).content.decode()
    assert "130 000" in content
    response = client.post(url, {"estimated_value": "150000"})
    assert response.status_code == 200
    assert "no_clause_reason" in response.context["form"].errors
    assert response.context["law_applies"] is True
    assert 'value="150000"' in response.content.decode()
    response = client.post(url, {"estimated_value": "150000", "no_clause_reason": "Brak PES."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.clause_check.procurement_law_applies
    assert draft.clause_check.no_clause_reason == "Brak PES."


PUBLISH = matrix(default=404, official=302, admin_user=302)


@pytest.mark.parametrize(("role", "expected"), PUBLISH.items())
def test_only_the_buyer_side_publishes(role, expected, as_role, client, draft, pes_owner):
    ClauseCheckFactory(notice=draft)
    as_role(role)
    url = reverse("demand:notice-publish", args=[draft.pk])
    assert outcome(client.get(url)) in ("login", 405, 404)
    response = client.post(url)
    assert outcome(response) == expected
    draft.refresh_from_db()
    assert (draft.status == DemandNotice.Status.PUBLISHED) == (expected == 302)


def test_publishing_without_the_check_returns_to_the_check_with_a_message(client, official, draft):
    client.force_login(official)
    response = client.post(reverse("demand:notice-publish", args=[draft.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("demand:notice-clause-check", args=[draft.pk])
    assert any(
        "social-clause" in str(m) or "klauzul" in str(m) for m in response.context["messages"]
    )
    draft.refresh_from_db()
    assert draft.status == DemandNotice.Status.DRAFT


# --- deadline, cancel, award, note -------------------------------------------------------------

BUYER_ACTION = matrix(
    default=403,
    official=200,
    admin_user=200,
)


@pytest.mark.parametrize(("role", "expected"), BUYER_ACTION.items())
def test_only_the_buyer_side_extends_the_deadline(
    role, expected, as_role, client, notice, pes_owner
):
    as_role(role)
    url = reverse("demand:notice-extend", args=[notice.pk])
    assert outcome(client.get(url)) == expected
    new = (notice.answers_deadline + timedelta(days=2)).astimezone(timezone.get_current_timezone())
    response = client.post(url, {"answers_deadline": new.strftime("%Y-%m-%dT%H:%M")})
    assert outcome(response) == (302 if expected == 200 else expected)
    notice.refresh_from_db()
    saved = timezone.localtime(notice.answers_deadline)
    assert (saved.date() == new.date()) == (expected == 200)


def test_an_earlier_deadline_is_refused_on_the_field(client, official, notice):
    client.force_login(official)
    earlier = timezone.localtime(notice.answers_deadline) - timedelta(days=1)
    response = client.post(
        reverse("demand:notice-extend", args=[notice.pk]),
        {"answers_deadline": earlier.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 200
    assert "answers_deadline" in response.context["form"].errors


@pytest.mark.parametrize(("role", "expected"), BUYER_ACTION.items())
def test_only_the_buyer_side_cancels(role, expected, as_role, client, notice, pes_owner):
    as_role(role)
    url = reverse("demand:notice-cancel", args=[notice.pk])
    assert outcome(client.get(url)) == expected
    response = client.post(url, {"reason": "Rezygnujemy z zakupu."})
    assert outcome(response) == (302 if expected == 200 else expected)
    notice.refresh_from_db()
    assert (notice.status == DemandNotice.Status.CANCELLED) == (expected == 200)


@pytest.fixture
def expired_with_answer(department, organisation, pes_owner):
    notice = NoticeFactory(department=department, expired=True)
    answer = AnswerFactory(notice=notice, organisation=organisation)
    return notice, answer


@pytest.mark.parametrize(("role", "expected"), BUYER_ACTION.items())
def test_only_the_buyer_side_awards(role, expected, as_role, client, expired_with_answer):
    notice, answer = expired_with_answer
    as_role(role)
    url = reverse("demand:notice-award", args=[notice.pk])
    assert outcome(client.get(url)) == expected
    response = client.post(
        url,
        {
            "answers": [answer.pk],
            "awarded_value": "3500.00",
            "award_date": timezone.localdate().isoformat(),
        },
    )
    assert outcome(response) == (302 if expected == 200 else expected)
    notice.refresh_from_db()
    assert (notice.status == DemandNotice.Status.AWARDED) == (expected == 200)


def test_an_open_notice_cannot_be_awarded(client, official, notice, answer):
    client.force_login(official)
    assert client.get(reverse("demand:notice-award", args=[notice.pk])).status_code == 403


def test_a_bad_award_is_explained_on_its_fields(client, official, expired_with_answer):
    notice, answer = expired_with_answer
    client.force_login(official)
    response = client.post(
        reverse("demand:notice-award", args=[notice.pk]),
        {
            "answers": [answer.pk],
            "awarded_value": "3500.00",
            "award_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "award_date" in response.context["form"].errors
    assert 'value="3500.00"' in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == DemandNotice.Status.PUBLISHED


def test_an_answer_of_another_notice_cannot_be_awarded(
    client, official, expired_with_answer, answer
):
    notice, _own = expired_with_answer
    client.force_login(official)
    response = client.post(
        reverse("demand:notice-award", args=[notice.pk]),
        {
            "answers": [answer.pk],
            "awarded_value": "1",
            "award_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "answers" in response.context["form"].errors


NOTE = matrix(default=403, official=200, admin_user=200)


@pytest.mark.parametrize(("role", "expected"), NOTE.items())
def test_the_market_research_note_is_for_the_buyer_side(
    role, expected, as_role, client, notice, answer
):
    as_role(role)
    response = client.get(reverse("demand:notice-note-pdf", args=[notice.pk]))
    assert outcome(response) == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="rozeznanie-rynku-{notice.pk}.pdf"'
        )
        assert response.content.startswith(b"%PDF")


def test_a_drafts_note_is_404_to_others(client, other_official, draft):
    client.force_login(other_official)
    assert client.get(reverse("demand:notice-note-pdf", args=[draft.pk])).status_code == 404


# --- answers -----------------------------------------------------------------------------------

ANSWER = matrix(default=403, pes_owner=200, pes_editor=200, other_pes_member=200)


@pytest.mark.parametrize(("role", "expected"), ANSWER.items())
def test_members_of_verified_pes_answer(
    role, expected, as_role, client, notice, organisation, other_organisation, pes_owner, pes_editor
):
    as_role(role)
    url = reverse("demand:answer-create", args=[notice.pk])
    assert outcome(client.get(url)) == expected
    org = other_organisation if role == "other_pes_member" else organisation
    response = client.post(
        url, {"organisation": org.pk, "kind": "offer", "price_net": "3000.00", "message": "Hej"}
    )
    assert outcome(response) == (302 if expected == 200 else expected)
    assert Answer.objects.filter(notice=notice).exists() == (expected == 200)


def test_an_answer_for_someone_elses_organisation_is_refused(
    client, notice, other_pes_member, organisation
):
    client.force_login(other_pes_member)
    response = client.post(
        reverse("demand:answer-create", args=[notice.pk]),
        {"organisation": organisation.pk, "kind": "interest"},
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Answer.objects.exists()


def test_nobody_answers_after_the_deadline_over_http(client, department, pes_owner, organisation):
    expired = NoticeFactory(department=department, expired=True)
    client.force_login(pes_owner)
    url = reverse("demand:answer-create", args=[expired.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"organisation": organisation.pk, "kind": "interest"})
    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_an_offer_without_a_price_is_explained_and_the_message_kept(
    client, notice, pes_owner, organisation
):
    client.force_login(pes_owner)
    response = client.post(
        reverse("demand:answer-create", args=[notice.pk]),
        {"organisation": organisation.pk, "kind": "offer", "message": "Nasza wiadomość"},
    )
    assert response.status_code == 200
    assert "price_net" in response.context["form"].errors
    assert "Nasza wiadomość" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_reserved_notice_refuses_a_pes_that_does_not_qualify_and_keeps_its_message(
    client, notice, municipality
):
    association = OrganisationFactory(
        name="Stowarzyszenie Bez Zatrudnienia", employees=5, employees_at_risk=0
    )
    member = make_pes_member(association, email="bez@example.org")
    client.force_login(member)
    response = client.post(
        reverse("demand:answer-create", args=[notice.pk]),
        {"organisation": association.pk, "kind": "interest", "message": "Nasza wiadomość"},
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["organisation"]
    assert error == qualifies_for_reserved_contract(association).reason
    assert "Nasza wiadomość" in response.content.decode()
    assert not Answer.objects.exists()


def test_the_buyer_sees_qualification_and_the_employment_confirmation_when_awarding(
    client, official, department, organisation, other_organisation
):
    expired = NoticeFactory(department=department, expired=True)
    ClauseCheckFactory(notice=expired, employment_requirement=True)
    answer = AnswerFactory(notice=expired, organisation=organisation, employment_confirmed=True)
    PartnerFactory(answer=answer, organisation=other_organisation)
    client.force_login(official)
    for url in (expired.get_absolute_url(), reverse("demand:notice-award", args=[expired.pk])):
        content = client.get(url).content.decode()
        for qualified in (organisation, other_organisation):
            assert escape(qualifies_for_reserved_contract(qualified).reason) in content
        assert f'id="employment-confirmed-{answer.pk}" data-confirmed="yes"' in content


def test_an_employment_requirement_is_confirmed_in_the_answer_form(
    client, notice, pes_owner, organisation
):
    SocialClauseCheck.objects.filter(notice=notice).update(employment_requirement=True)
    client.force_login(pes_owner)
    url = reverse("demand:answer-create", args=[notice.pk])
    assert "employment_confirmed" in client.get(url).context["form"].fields
    response = client.post(url, {"organisation": organisation.pk, "kind": "interest"})
    assert "employment_confirmed" in response.context["form"].errors
    response = client.post(
        url, {"organisation": organisation.pk, "kind": "interest", "employment_confirmed": "on"}
    )
    assert response.status_code == 302
    assert Answer.objects.get().employment_confirmed


def test_a_consortium_answer_shows_unconfirmed_partners_to_the_buyer(
    client, notice, pes_owner, organisation, other_organisation, official
):
    client.force_login(pes_owner)
    client.post(
        reverse("demand:answer-create", args=[notice.pk]),
        {
            "organisation": organisation.pk,
            "kind": "interest",
            "partners": other_organisation.nip,
            "attachment": pdf_file("oferta.pdf"),
        },
    )
    answer = Answer.objects.get()
    assert answer.partners.get().organisation == other_organisation
    client.force_login(official)
    content = client.get(notice.get_absolute_url()).content.decode()
    assert other_organisation.name in content
    assert "not confirmed" in content or "niepotwierdz" in content


def test_once_every_organisation_answered_the_form_says_so(client, notice, answer, pes_owner):
    client.force_login(pes_owner)
    response = client.get(reverse("demand:answer-create", args=[notice.pk]))
    assert response.status_code == 200
    assert not response.context["form"].fields["organisation"].queryset.exists()
    assert '<form method="post" enctype' not in response.content.decode()


EDIT_ANSWER = matrix(default=404, pes_owner=200, pes_editor=200, official=403, admin_user=403)


@pytest.mark.parametrize(("role", "expected"), EDIT_ANSWER.items())
def test_only_the_answering_pes_changes_its_answer(
    role, expected, as_role, client, answer, pes_editor
):
    as_role(role)
    url = reverse("demand:answer-edit", args=[answer.pk])
    assert outcome(client.get(url)) == expected
    response = client.post(url, {"kind": "offer", "price_net": "1.00"})
    assert outcome(response) == (302 if expected == 200 else expected)
    answer.refresh_from_db()
    assert (answer.price_net == Decimal("1.00")) == (expected == 200)


@pytest.mark.parametrize(("role", "expected"), EDIT_ANSWER.items())
def test_only_the_answering_pes_withdraws_its_answer(
    role, expected, as_role, client, answer, pes_editor
):
    as_role(role)
    url = reverse("demand:answer-withdraw", args=[answer.pk])
    assert outcome(client.get(url)) == expected
    response = client.post(url)
    assert outcome(response) == (302 if expected == 200 else expected)
    assert Answer.objects.filter(pk=answer.pk).exists() == (expected != 200)


def test_a_withdrawn_answer_leaves_the_buyers_page_and_its_history(
    client,
    answer,
    pes_owner,
    official,
    other_organisation,
    other_pes_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    PartnerFactory(answer=answer, organisation=other_organisation)
    client.force_login(pes_owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("demand:answer-withdraw", args=[answer.pk]))
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[other_pes_member.email]]
    client.force_login(official)
    response = client.get(answer.notice.get_absolute_url())
    assert response.context["answers"] == []
    (event,) = [e for e in response.context["history"] if e.action == "answer.withdrawn"]
    assert event.before["organisation"] == answer.organisation.name
    assert event.actor == pes_owner
    client.force_login(pes_owner)
    page = client.get(reverse("demand:answer-create", args=[answer.notice_id]))
    assert answer.organisation in page.context["form"].fields["organisation"].queryset


def test_an_answer_cannot_be_withdrawn_after_the_deadline(client, answer, pes_owner):
    DemandNotice.objects.filter(pk=answer.notice_id).update(
        answers_deadline=timezone.now() - timedelta(seconds=1)
    )
    client.force_login(pes_owner)
    assert client.post(reverse("demand:answer-withdraw", args=[answer.pk])).status_code == 403
    assert Answer.objects.filter(pk=answer.pk).exists()


def test_an_answer_cannot_be_changed_after_the_deadline_over_http(client, answer, pes_owner):
    DemandNotice.objects.filter(pk=answer.notice_id).update(
        answers_deadline=timezone.now() - timedelta(seconds=1)
    )
    client.force_login(pes_owner)
    response = client.post(
        reverse("demand:answer-edit", args=[answer.pk]), {"kind": "offer", "price_net": "1.00"}
    )
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.price_net == Decimal("3600.00")


ANSWER_FILE = matrix(default=404, pes_owner=200, pes_editor=200, official=200, admin_user=200)


@pytest.mark.parametrize(("role", "expected"), ANSWER_FILE.items())
def test_an_answers_attachment_is_for_the_buyer_side_and_its_pes(
    role, expected, as_role, client, answer, pes_editor
):
    answer.attachment = pdf_file("oferta-cenowa.pdf")
    answer.save()
    as_role(role)
    response = client.get(reverse("demand:answer-attachment", args=[answer.pk]))
    assert outcome(response) == expected
    if expected == 200:
        assert response["Content-Disposition"] == (
            f'attachment; filename="odpowiedz-{answer.pk}.pdf"'
        )
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"


CONFIRM = matrix(default=404)


@pytest.mark.parametrize(("role", "expected"), CONFIRM.items())
def test_only_a_partners_member_opens_the_confirmation(
    role, expected, as_role, client, answer, pes_owner, pes_editor
):
    partner = PartnerFactory(answer=answer)
    as_role(role)
    url = reverse("demand:partner-confirm", args=[partner.pk])
    assert outcome(client.get(url)) == expected
    assert outcome(client.post(url)) == expected
    partner.refresh_from_db()
    assert partner.confirmed_at is None


def test_a_partner_confirms_on_its_page(client, answer, other_organisation, other_pes_member):
    partner = PartnerFactory(answer=answer, organisation=other_organisation)
    client.force_login(other_pes_member)
    url = reverse("demand:partner-confirm", args=[partner.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["may_confirm"]
    assert client.post(url).status_code == 302
    partner.refresh_from_db()
    assert partner.confirmed_by == other_pes_member
    assert AuditEvent.objects.filter(action="partner.confirmed").count() == 1
    assert client.post(url).status_code == 403


DECLINE = matrix(default=404, other_pes_member=302)


@pytest.mark.parametrize(("role", "expected"), DECLINE.items())
def test_only_a_partners_member_declines(
    role, expected, as_role, client, answer, other_organisation
):
    partner = PartnerFactory(answer=answer, organisation=other_organisation)
    as_role(role)
    url = reverse("demand:partner-decline", args=[partner.pk])
    assert outcome(client.post(url)) == expected
    assert ConsortiumPartner.objects.filter(pk=partner.pk).exists() == (expected != 302)


def test_a_partner_declines_and_the_lead_is_told(
    client,
    answer,
    pes_owner,
    other_organisation,
    other_pes_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    partner = PartnerFactory(answer=answer, organisation=other_organisation)
    client.force_login(other_pes_member)
    page = client.get(reverse("demand:partner-confirm", args=[partner.pk]))
    assert page.context["may_decline"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("demand:partner-decline", args=[partner.pk]))
    assert response.status_code == 302
    assert not answer.partners.exists()
    assert pes_owner.email in mailoutbox[0].to
    assert other_organisation.name in mailoutbox[0].subject
    (event,) = AuditEvent.objects.filter(action="partner.declined")
    assert event.before == {"partner": other_organisation.name, "confirmed": False}
    assert client.get(reverse("demand:partner-decline", args=[partner.pk])).status_code == 404


def test_a_partner_cannot_decline_after_the_deadline(
    client, answer, other_organisation, other_pes_member
):
    partner = PartnerFactory(answer=answer, organisation=other_organisation)
    DemandNotice.objects.filter(pk=answer.notice_id).update(
        answers_deadline=timezone.now() - timedelta(seconds=1)
    )
    client.force_login(other_pes_member)
    assert client.post(reverse("demand:partner-decline", args=[partner.pk])).status_code == 403
    assert ConsortiumPartner.objects.filter(pk=partner.pk).exists()


def test_a_partner_cannot_confirm_after_the_deadline(
    client, answer, other_organisation, other_pes_member
):
    partner = PartnerFactory(answer=answer, organisation=other_organisation)
    DemandNotice.objects.filter(pk=answer.notice_id).update(
        answers_deadline=timezone.now() - timedelta(seconds=1)
    )
    client.force_login(other_pes_member)
    url = reverse("demand:partner-confirm", args=[partner.pk])
    assert client.get(url).context["may_confirm"] is False
    assert client.post(url).status_code == 403
    assert not ConsortiumPartner.objects.filter(confirmed_at__isnull=False).exists()


# --- own lists ---------------------------------------------------------------------------------

MY_NOTICES = matrix(
    default=403, official=200, other_official=200, business_buyer=200, admin_user=200
)


@pytest.mark.parametrize(("role", "expected"), MY_NOTICES.items())
def test_my_notices_lists_the_buyer_sides_own_notices(
    role, expected, as_role, client, notice, draft, answer
):
    as_role(role)
    response = client.get(reverse("demand:my-notices"))
    assert outcome(response) == expected
    if expected == 200:
        listed = {n.pk: n.answer_count for n in response.context["notices"]}
        if role in ("official", "admin_user"):
            assert listed == {notice.pk: 1, draft.pk: 0}
        else:
            assert listed == {}


PES_PAGES = matrix(default=403, pes_owner=200, pes_editor=200, other_pes_member=200)


@pytest.mark.parametrize(("role", "expected"), PES_PAGES.items())
def test_notices_for_us_lists_open_notices_matched_to_my_organisations(
    role, expected, as_role, client, notice, organisation, department, pes_owner, pes_editor
):
    MatchFactory(notice=notice, organisation=organisation)
    expired = NoticeFactory(department=department, expired=True)
    MatchFactory(notice=expired, organisation=organisation)
    NoticeFactory(department=department, published=True, title="Niedopasowane")
    as_role(role)
    response = client.get(reverse("demand:matched-notices"))
    assert outcome(response) == expected
    if expected == 200:
        listed = [n.pk for n in response.context["notices"]]
        assert listed == ([notice.pk] if role in ("pes_owner", "pes_editor") else [])


@pytest.mark.parametrize(("role", "expected"), PES_PAGES.items())
def test_my_answers_lists_own_and_partnered_answers(
    role, expected, as_role, client, answer, other_answer, pes_owner, pes_editor, department
):
    partnered = AnswerFactory(notice=NoticeFactory(department=department, published=True))
    PartnerFactory(answer=partnered, organisation=answer.organisation)
    as_role(role)
    response = client.get(reverse("demand:my-answers"))
    assert outcome(response) == expected
    if expected == 200:
        listed = {a.pk for a in response.context["answers"]}
        if role == "other_pes_member":
            assert listed == {other_answer.pk}
        else:
            assert listed == {answer.pk, partnered.pk}


def test_the_dashboard_shows_the_demand_panel_by_role(client, official, pes_owner, signed_in_user):
    client.force_login(official)
    assert reverse("demand:my-notices") in client.get(reverse("pestor:dashboard")).content.decode()
    client.force_login(pes_owner)
    assert (
        reverse("demand:matched-notices")
        in client.get(reverse("pestor:dashboard")).content.decode()
    )
    client.force_login(signed_in_user)
    content = client.get(reverse("pestor:dashboard")).content.decode()
    assert reverse("demand:my-notices") not in content
    assert reverse("demand:matched-notices") not in content


@pytest.mark.parametrize("role", [role for role in ROLES if role != "resident"])
def test_the_panel_invites_to_post_a_notice_only_with_the_button(role, as_role, client):
    as_role(role)
    content = client.get(reverse("pestor:dashboard")).content.decode()
    with translation.override("pl"):
        invitation = gettext(
            "Post what your department or company needs; PES offering it are told at once."
        )
    button = reverse("demand:notice-create")
    assert (invitation in content) == (button in content)
    assert (button in content) == (role in {"official", "other_official", "business_buyer"})


def test_the_public_part_hides_a_private_estimated_value(client, official, department):
    secret = NoticeFactory(
        department=department,
        published=True,
        estimated_value=Decimal("98765.00"),
        estimated_value_public=False,
    )
    assert "98\xa0765,00" not in client.get(secret.get_absolute_url()).content.decode()
    client.force_login(official)
    assert "98\xa0765,00" in client.get(secret.get_absolute_url()).content.decode()


def test_a_matched_pes_member_sees_the_answer_button_and_an_expired_one_does_not(
    client, notice, department, pes_owner
):
    client.force_login(pes_owner)
    create_url = reverse("demand:answer-create", args=[notice.pk])
    assert create_url in client.get(notice.get_absolute_url()).content.decode()
    expired = NoticeFactory(department=department, expired=True)
    content = client.get(expired.get_absolute_url()).content.decode()
    assert reverse("demand:answer-create", args=[expired.pk]) not in content


def test_an_answer_attachment_must_be_a_document(client, notice, pes_owner, organisation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(pes_owner)
    response = client.post(
        reverse("demand:answer-create", args=[notice.pk]),
        {
            "organisation": organisation.pk,
            "kind": "interest",
            "message": "Zostaje",
            "attachment": SimpleUploadedFile("oferta.pdf", b"<html>not a pdf</html>"),
        },
    )
    assert response.status_code == 200
    assert "attachment" in response.context["form"].errors
    assert "Zostaje" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_resident_is_invited_to_sign_in_to_answer(client, notice):
    content = client.get(notice.get_absolute_url()).content.decode()
    assert reverse("account_login") + "?next=" in content


# --- corrections -------------------------------------------------------------------------------


def correction_data(notice, **overrides):
    data = {
        "title": notice.title,
        "description": notice.description,
        "cpv_codes": [code.pk for code in notice.cpv_codes.all()],
        "quantity": notice.quantity or "",
        "unit": notice.unit,
        "estimated_value": notice.estimated_value or "",
        "answers_deadline": timezone.localtime(notice.answers_deadline).strftime("%Y-%m-%dT%H:%M"),
        "delivery_from": "",
        "delivery_to": "",
        "delivery_place": notice.delivery_place,
        "contact_name": notice.contact_name,
        "contact_email": notice.contact_email,
        "contact_phone": notice.contact_phone,
        "reason": "Nowe miejsce dostawy.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(("role", "expected"), BUYER_ACTION.items())
def test_only_the_buyer_side_corrects_a_notice(role, expected, as_role, client, notice):
    as_role(role)
    url = reverse("demand:notice-correct", args=[notice.pk])
    assert outcome(client.get(url)) == expected
    response = client.post(url, correction_data(notice, delivery_place="Dwór Artusa"))
    assert outcome(response) == (302 if expected == 200 else expected)
    assert notice.corrections.exists() == (expected == 200)


def test_a_correction_is_shown_on_the_notice_to_everyone(client, official, notice):
    client.force_login(official)
    client.post(
        reverse("demand:notice-correct", args=[notice.pk]),
        correction_data(notice, delivery_place="Dwór Artusa"),
    )
    client.logout()
    content = client.get(notice.get_absolute_url()).content.decode()
    assert "Dwór Artusa" in content
    assert "Nowe miejsce dostawy." in content
    assert 'id="corrections-title"' in content


def test_a_material_correction_too_close_to_the_deadline_keeps_what_was_typed(
    client, official, notice
):
    DemandNotice.objects.filter(pk=notice.pk).update(
        answers_deadline=timezone.now() + timedelta(days=1)
    )
    notice.refresh_from_db()
    client.force_login(official)
    response = client.post(
        reverse("demand:notice-correct", args=[notice.pk]),
        correction_data(notice, title="Catering dla 300 osób", reason="Więcej gości"),
    )
    assert response.status_code == 200
    assert "answers_deadline" in response.context["form"].errors
    content = response.content.decode()
    assert 'value="Catering dla 300 osób"' in content and "Więcej gości" in content
    notice.refresh_from_db()
    assert notice.title != "Catering dla 300 osób"


def test_a_closed_notice_has_no_correction(client, official, department):
    expired = NoticeFactory(department=department, expired=True)
    client.force_login(official)
    assert client.get(reverse("demand:notice-correct", args=[expired.pk])).status_code == 403


# --- questions and answers ---------------------------------------------------------------------

ASK = matrix(default=403, pes_owner=200, pes_editor=200, other_pes_member=200)


@pytest.mark.parametrize(("role", "expected"), ASK.items())
def test_members_of_verified_pes_ask_about_an_open_notice(
    role, expected, as_role, client, notice, organisation, other_organisation
):
    as_role(role)
    url = reverse("demand:question-ask", args=[notice.pk])
    assert outcome(client.get(url)) == expected
    org = other_organisation if role == "other_pes_member" else organisation
    response = client.post(url, {"organisation": org.pk, "question": "Ile osób?"})
    assert outcome(response) == (302 if expected == 200 else expected)
    assert NoticeQuestion.objects.filter(notice=notice).exists() == (expected == 200)


@pytest.fixture
def question(notice, organisation, pes_owner):
    return NoticeQuestion.objects.create(
        notice=notice, organisation=organisation, asked_by=pes_owner, question="Ile osób?"
    )


ANSWER_QUESTION = matrix(default=404, official=200, admin_user=200)


@pytest.mark.parametrize(("role", "expected"), ANSWER_QUESTION.items())
def test_only_the_buyer_side_answers_a_question(role, expected, as_role, client, question):
    as_role(role)
    url = reverse("demand:question-answer", args=[question.pk])
    assert outcome(client.get(url)) == expected
    response = client.post(url, {"answer": "Około 120."})
    assert outcome(response) == (302 if expected == 200 else expected)
    question.refresh_from_db()
    assert question.is_answered == (expected == 200)


def test_an_empty_question_keeps_the_chosen_organisation(client, notice, pes_owner, organisation):
    client.force_login(pes_owner)
    response = client.post(
        reverse("demand:question-ask", args=[notice.pk]),
        {"organisation": organisation.pk, "question": ""},
    )
    assert response.status_code == 200
    assert "question" in response.context["form"].errors
    assert not NoticeQuestion.objects.exists()


def test_the_answer_is_public_and_only_the_buyer_and_the_asker_see_who_asked(
    client, question, official, pes_owner, other_pes_member, organisation
):
    page = client.get(question.notice.get_absolute_url())
    assert "Ile osób?" not in page.content.decode()
    client.force_login(pes_owner)
    assert "Ile osób?" in client.get(question.notice.get_absolute_url()).content.decode()
    client.force_login(official)
    client.post(reverse("demand:question-answer", args=[question.pk]), {"answer": "Około 120."})
    for user, named in ((None, False), (other_pes_member, False), (official, True)):
        client.logout()
        if user is not None:
            client.force_login(user)
        content = client.get(question.notice.get_absolute_url()).content.decode()
        assert "Ile osób?" in content and "Około 120." in content
        section = content.split('id="questions-title"')[1].split("</section>")[0]
        assert (organisation.name in section) is named


@pytest.mark.parametrize(
    "value", ["NaN", "Infinity", "-Infinity", "sNaN", "1e999999999", "-1e999999999", "1e-999999999"]
)
def test_a_value_that_is_no_amount_is_refused_on_the_clause_check(client, official, draft, value):
    """The page compared and formatted the typed value itself: "NaN" raised on comparing,
    "1e999999999" on rounding to two places, both a 500."""
    client.force_login(official)
    url = reverse("demand:notice-clause-check", args=[draft.pk])
    response = client.post(url, {"estimated_value": value, "reserved_for_pes": "on"})
    assert response.status_code == 200
    assert "estimated_value" in response.context["form"].errors
    assert response.context["law_applies"] is None
    assert not SocialClauseCheck.objects.filter(notice=draft).exists()


def test_the_clause_check_says_whether_the_law_applies_while_the_reason_is_missing(
    client, official, draft
):
    client.force_login(official)
    url = reverse("demand:notice-clause-check", args=[draft.pk])
    response = client.post(url, {"estimated_value": "1.2e5"})
    assert response.context["law_applies"] is False
    assert response.context["estimated_value"] == Decimal("120000")


def test_consortium_partners_are_named_by_nip_or_krs_and_unknown_numbers_explained(
    client, notice, pes_owner, organisation, other_organisation
):
    client.force_login(pes_owner)
    url = reverse("demand:answer-create", args=[notice.pk])
    typed = "1234567890\nto nie numer"
    response = client.post(
        url, {"organisation": organisation.pk, "kind": "interest", "partners": typed}
    )
    assert response.status_code == 200
    assert "nie jest numerem NIP ani KRS" in response.content.decode()
    assert typed in response.content.decode()  # what was typed stays
    response = client.post(
        url, {"organisation": organisation.pk, "kind": "interest", "partners": "1234567890"}
    )
    assert "1234567890" in response.context["form"].errors["partners"][0]
    assert not Answer.objects.exists()
    # A NIP written with dashes, or the KRS, finds the partner; the form shows it back by name.
    nip = other_organisation.nip
    dashed = f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"
    client.post(url, {"organisation": organisation.pk, "kind": "interest", "partners": dashed})
    answer = Answer.objects.get()
    assert answer.partners.get().organisation == other_organisation
    edit = client.get(reverse("demand:answer-edit", args=[answer.pk])).content.decode()
    assert f"{nip} — {other_organisation.name}" in edit
