"""The pages of a change of legal data: the owner's proposal and withdrawal, the official's
review, and the verification queue — every role, bad input, query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory import services
from directory.models import LegalDataChange, Organisation
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import next_nip
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

VERIFIED_NAME = "Spółdzielnia Socjalna Toruńska Przystań"
NEW_NAME = "Spółdzielnia Socjalna Nowa Przystań"


def legal_form_data(organisation, **overrides):
    """The legal data of ``organisation`` as the form posts them, with ``overrides``."""
    data = {
        "name": organisation.name,
        "legal_form": organisation.legal_form,
        "krs": organisation.krs,
        "nip": organisation.nip,
        "regon": organisation.regon,
        "street": organisation.street,
        "postal_code": organisation.postal_code,
        "city": organisation.city,
        "seat_municipality": organisation.seat_municipality.slug,
        "employees": organisation.employees if organisation.employees is not None else "",
        "employees_at_risk": (
            organisation.employees_at_risk if organisation.employees_at_risk is not None else ""
        ),
    }
    if organisation.is_public_benefit:
        data["is_public_benefit"] = "on"
    data.update(overrides)
    return data


def propose(organisation, owner, **fields):
    return services.legal_change_request(
        organisation=organisation, requested_by=owner, **{"name": NEW_NAME, **fields}
    )


# --- the owner's page ---------------------------------------------------------------------------

PROPOSE = {
    "resident": "login",
    "signed_in_user": 403,
    "pes_owner": 200,
    "pes_editor": 403,
    "other_pes_member": 403,
    "official": 403,
    "other_official": 403,
    "monitoring_member": 403,
    "business_buyer": 403,
    "admin_user": 403,
}


@pytest.mark.parametrize(("role", "expected"), PROPOSE.items())
def test_only_owners_propose_a_change_of_legal_data(
    role, expected, as_role, client, organisation, pes_owner, pes_editor
):
    as_role(role)
    url = reverse("directory:legal-change", args=[organisation.slug])
    assert outcome(client.get(url)) == expected
    response = client.post(url, legal_form_data(organisation, name=NEW_NAME))
    assert outcome(response) == (302 if expected == 200 else expected)
    assert LegalDataChange.objects.filter(organisation=organisation).exists() == (expected == 200)
    organisation.refresh_from_db()
    assert organisation.name == VERIFIED_NAME


def test_an_unverified_organisation_has_no_change_page(client, pending_organisation):
    client.force_login(pending_organisation.memberships.get().user)
    url = reverse("directory:legal-change", args=[pending_organisation.slug])
    assert client.get(url).status_code == 403


def test_the_public_keeps_seeing_the_verified_data_while_a_change_waits(
    client, organisation, pes_owner
):
    verified_at = timezone.now() - timedelta(days=200)
    Organisation.objects.filter(pk=organisation.pk).update(verified_at=verified_at)
    client.force_login(pes_owner)
    client.post(
        reverse("directory:legal-change", args=[organisation.slug]),
        legal_form_data(organisation, name=NEW_NAME, is_public_benefit="on"),
    )
    client.logout()

    detail = client.get(organisation.get_absolute_url()).content.decode()
    listing = client.get(reverse("directory:organisation-list")).content.decode()
    assert VERIFIED_NAME in detail and NEW_NAME not in detail
    assert VERIFIED_NAME in listing and NEW_NAME not in listing
    assert "czeka na decyzję urzędnika" not in detail  # the public is not told
    organisation.refresh_from_db()
    assert organisation.verified_at == verified_at
    assert organisation.is_public_benefit is False


def test_the_owner_sees_what_the_pending_change_contains(client, organisation, pes_owner):
    propose(organisation, pes_owner, city="Chełmża")
    client.force_login(pes_owner)

    detail = client.get(organisation.get_absolute_url()).content.decode()
    page = client.get(reverse("directory:legal-change", args=[organisation.slug]))

    assert "Zmiana danych rejestrowych czeka na decyzję urzędnika" in detail
    content = page.content.decode()
    assert NEW_NAME in content and VERIFIED_NAME in content and "Chełmża" in content
    assert reverse("directory:legal-change-withdraw", args=[organisation.slug]) in content
    rows = {row["name"]: row for row in page.context["comparison"]}
    assert rows["name"]["changed"] and rows["city"]["changed"]
    assert not rows["nip"]["changed"]


def test_a_second_proposal_is_refused_with_a_message(client, organisation, pes_owner):
    first = propose(organisation, pes_owner)
    client.force_login(pes_owner)
    response = client.post(
        reverse("directory:legal-change", args=[organisation.slug]),
        legal_form_data(organisation, name="Trzecia Nazwa"),
    )
    assert response.status_code == 200
    assert "czeka już na decyzję urzędnika" in response.content.decode()
    assert list(LegalDataChange.objects.all()) == [first]


def test_a_bad_proposal_keeps_what_was_typed(client, organisation, pes_owner):
    client.force_login(pes_owner)
    response = client.post(
        reverse("directory:legal-change", args=[organisation.slug]),
        legal_form_data(organisation, name=NEW_NAME, nip="1234567890", street="ul. Nowa 7"),
    )
    assert response.status_code == 200
    assert "nip" in response.context["form"].errors
    content = response.content.decode()
    assert f'value="{NEW_NAME}"' in content
    assert 'value="ul. Nowa 7"' in content
    assert 'role="alert"' in content
    assert not LegalDataChange.objects.exists()
    organisation.refresh_from_db()
    assert organisation.name == VERIFIED_NAME


def test_the_owner_sees_why_the_last_change_was_returned(client, organisation, pes_owner, official):
    change = propose(organisation, pes_owner)
    services.legal_change_return(change=change, official=official, reason="Brak wpisu w KRS.")
    client.force_login(pes_owner)
    content = client.get(
        reverse("directory:legal-change", args=[organisation.slug])
    ).content.decode()
    assert "Brak wpisu w KRS." in content
    assert "<form" in content  # and may propose a corrected change


# --- the edit form no longer carries legal data -------------------------------------------------


@pytest.mark.parametrize("member", ["pes_owner", "pes_editor"])
def test_the_edit_form_of_a_verified_organisation_has_no_legal_fields(
    member, request, client, organisation, pes_owner, pes_editor
):
    client.force_login(request.getfixturevalue(member))
    form = client.get(reverse("directory:organisation-edit", args=[organisation.slug])).context[
        "form"
    ]
    assert not set(form.fields) & set(Organisation.LEGAL_FIELDS)
    assert {"description", "email", "logo", "spheres", "municipalities_served"} <= set(form.fields)


def test_an_editors_forged_legal_data_change_nothing(client, pending_organisation):
    editor = make_pes_member(pending_organisation, role="editor")
    saved = (pending_organisation.name, pending_organisation.nip)
    client.force_login(editor)
    response = client.post(
        reverse("directory:organisation-edit", args=[pending_organisation.slug]),
        {
            "name": "Przejęta Nazwa",
            "nip": next_nip(),
            "is_public_benefit": "on",
            "description": "Opis od redaktora.",
            "employees": 0,
            "employees_at_risk": 0,
        },
    )
    assert response.status_code == 302
    pending_organisation.refresh_from_db()
    assert (pending_organisation.name, pending_organisation.nip) == saved
    assert pending_organisation.is_public_benefit is False
    assert pending_organisation.description == "Opis od redaktora."


# --- withdrawal ---------------------------------------------------------------------------------

WITHDRAW = {**PROPOSE, "pes_owner": 302}


@pytest.mark.parametrize(("role", "expected"), WITHDRAW.items())
def test_only_owners_withdraw_a_change(
    role, expected, as_role, client, organisation, pes_owner, pes_editor
):
    change = propose(organisation, pes_owner)
    as_role(role)
    response = client.post(reverse("directory:legal-change-withdraw", args=[organisation.slug]))
    assert outcome(response) == expected
    change.refresh_from_db()
    assert change.is_pending == (expected != 302)


def test_withdrawing_without_a_pending_change_is_404(client, organisation, pes_owner):
    client.force_login(pes_owner)
    url = reverse("directory:legal-change-withdraw", args=[organisation.slug])
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405


# --- the official's review ----------------------------------------------------------------------

REVIEW = {
    "resident": "login",
    "signed_in_user": 404,
    "pes_owner": 403,  # a member sees the change but does not decide on it
    "pes_editor": 403,
    "other_pes_member": 404,
    "official": 200,
    "other_official": 404,
    "monitoring_member": 404,
    "business_buyer": 404,
    "admin_user": 200,
}


@pytest.mark.parametrize(("role", "expected"), REVIEW.items())
def test_only_the_seat_municipalitys_officials_open_the_review(
    role, expected, as_role, client, organisation, pes_owner, pes_editor
):
    change = propose(organisation, pes_owner)
    as_role(role)
    response = client.get(reverse("directory:legal-change-review", args=[change.pk]))
    assert outcome(response) == expected
    if expected == 200:
        content = response.content.decode()
        assert VERIFIED_NAME in content and NEW_NAME in content


@pytest.mark.parametrize(("role", "expected"), REVIEW.items())
def test_only_the_seat_municipalitys_officials_accept(
    role, expected, as_role, client, organisation, pes_owner, pes_editor
):
    change = propose(organisation, pes_owner)
    user = as_role(role)
    response = client.post(
        reverse("directory:legal-change-review", args=[change.pk]), {"decision": "accept"}
    )
    organisation.refresh_from_db()
    change.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert organisation.name == NEW_NAME
        assert organisation.verified_by == user
        assert change.status == LegalDataChange.Status.ACCEPTED
    else:
        assert outcome(response) == expected
        assert organisation.name == VERIFIED_NAME
        assert change.is_pending


@pytest.mark.parametrize(("role", "expected"), REVIEW.items())
def test_only_the_seat_municipalitys_officials_return(
    role, expected, as_role, client, organisation, pes_owner, pes_editor
):
    change = propose(organisation, pes_owner)
    as_role(role)
    response = client.post(
        reverse("directory:legal-change-review", args=[change.pk]),
        {"decision": "return", "reason": "Nazwa nie zgadza się z KRS."},
    )
    change.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert change.status == LegalDataChange.Status.RETURNED
        assert change.reason == "Nazwa nie zgadza się z KRS."
    else:
        assert outcome(response) == expected
        assert change.is_pending
    organisation.refresh_from_db()
    assert organisation.name == VERIFIED_NAME


def test_returning_needs_a_reason_and_keeps_the_page(client, organisation, pes_owner, official):
    change = propose(organisation, pes_owner)
    client.force_login(official)
    response = client.post(
        reverse("directory:legal-change-review", args=[change.pk]),
        {"decision": "return", "reason": "   "},
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert NEW_NAME in response.content.decode()  # the comparison is still there
    change.refresh_from_db()
    assert change.is_pending


def test_a_too_long_reason_is_refused_and_kept(client, organisation, pes_owner, official):
    change = propose(organisation, pes_owner)
    client.force_login(official)
    reason = "Numer KRS należy do innego podmiotu. " * 60
    response = client.post(
        reverse("directory:legal-change-review", args=[change.pk]),
        {"decision": "return", "reason": reason},
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert reason.strip() in response.content.decode()
    change.refresh_from_db()
    assert change.is_pending


def test_a_nip_taken_meanwhile_is_explained_not_a_server_error(
    client, organisation, pes_owner, official
):
    new_nip = next_nip()
    change = propose(organisation, pes_owner, nip=new_nip)
    OrganisationFactory(nip=new_nip)
    client.force_login(official)

    response = client.post(
        reverse("directory:legal-change-review", args=[change.pk]),
        {"decision": "accept"},
        follow=True,
    )

    assert response.status_code == 200
    assert f"Inna organizacja zarejestrowana w portalu ma już NIP {new_nip}." in (
        response.content.decode()
    )
    organisation.refresh_from_db()
    assert organisation.nip != new_nip
    change.refresh_from_db()
    assert change.is_pending


def test_a_decided_change_is_not_reviewed_again(client, organisation, pes_owner, official):
    change = propose(organisation, pes_owner)
    services.legal_change_withdraw(change=change, actor=pes_owner)
    client.force_login(official)
    assert client.get(reverse("directory:legal-change-review", args=[change.pk])).status_code == 403


def test_an_unknown_change_is_404(client, official):
    client.force_login(official)
    assert client.get(reverse("directory:legal-change-review", args=[999])).status_code == 404


# --- the verification queue ---------------------------------------------------------------------

QUEUE_LISTS = {"official", "admin_user"}


@pytest.mark.parametrize("role", ROLES)
def test_the_queue_lists_pending_changes_for_the_seat_municipalitys_officials(
    role, as_role, client, organisation, pes_owner
):
    change = propose(organisation, pes_owner)
    as_role(role)
    response = client.get(reverse("directory:verification-queue"))
    if outcome(response) != 200:
        return  # who may open the queue at all: test_only_officials_open_the_verification_queue
    review_url = reverse("directory:legal-change-review", args=[change.pk])
    assert (review_url in response.content.decode()) == (role in QUEUE_LISTS)


def test_the_queue_runs_a_fixed_number_of_queries_whatever_the_number_of_changes(
    client, official, municipality
):
    client.force_login(official)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("directory:verification-queue"))
        assert response.status_code == 200
        return len(captured), response

    def propose_for_new_organisation():
        organisation = OrganisationFactory(seat_municipality=municipality)
        propose(organisation, make_pes_member(organisation), street="ul. Przeniesiona 2")

    propose_for_new_organisation()
    with_one, _response = queries()
    for _ in range(8):
        propose_for_new_organisation()
    with_nine, response = queries()
    assert with_nine == with_one
    assert len(response.context["legal_changes"]) == 9
    content = response.content.decode()
    assert "ul. Przeniesiona 2" not in content  # listed by the changed fields, not values
    assert "pełna nazwa, ulica i numer" in content


@pytest.mark.parametrize("role", [r for r in ROLES if r != "resident"])
def test_the_dashboard_counts_pending_changes_for_the_officials_who_decide(
    role, as_role, client, organisation, pes_owner, pes_editor
):
    propose(organisation, pes_owner)
    as_role(role)
    content = client.get(reverse("pestor:dashboard")).content.decode()
    counted = "1 zmiana danych rejestrowych oczekuje na weryfikację." in content
    assert counted == (role in QUEUE_LISTS)
