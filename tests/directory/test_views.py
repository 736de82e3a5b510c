"""The directory's pages over HTTP: every view against every role, bad input, query counts."""

import io
import re

import pytest
from django.core.cache import cache
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from PIL import Image

from directory.models import Organisation, OrganisationMembership, PublicBenefitSphere
from pestor.models import AuditEvent
from tests.directory.factories import OrganisationFactory, make_pes_member
from tests.factories import next_nip
from tests.roles import ROLES, login_redirect, outcome

pytestmark = pytest.mark.django_db


def valid_form_data(municipality, **overrides):
    data = {
        "name": "Fundacja Nowy Rozdział",
        "short_name": "Nowy Rozdział",
        "legal_form": "foundation",
        "krs": "0000123456",
        "nip": next_nip(),
        "regon": "123456785",
        "street": "ul. Mostowa 5",
        "postal_code": "87-100",
        "city": "Toruń",
        "seat_municipality": municipality.slug,
        "description": "Prowadzimy warsztaty dla młodzieży.",
        "employees": 4,
        "employees_at_risk": 2,
    }
    data.update(overrides)
    return data


# --- public pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_the_public_directory_without_pending_organisations(
    role, as_role, client, organisation, pending_organisation, pes_owner, pes_editor
):
    as_role(role)
    response = client.get(reverse("directory:organisation-list"))
    assert response.status_code == 200
    assert organisation.name in response.content.decode()
    assert pending_organisation.name not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_a_verified_organisation(role, as_role, client, organisation, pes_owner):
    as_role(role)
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == 200
    assert organisation.nip in response.content.decode()


PENDING_DETAIL = {
    "resident": 404,
    "signed_in_user": 404,
    "pes_owner": 404,  # owner of another (verified) organisation
    "pes_editor": 404,
    "other_pes_member": 404,
    "official": 200,  # the seat municipality's official
    "other_official": 404,
    "monitoring_member": 404,
    "business_buyer": 404,
    "admin_user": 200,
}


@pytest.mark.parametrize(("role", "expected"), PENDING_DETAIL.items())
def test_a_pending_organisation_is_visible_only_to_its_members_and_officials(
    role, expected, as_role, client, pending_organisation
):
    as_role(role)
    response = client.get(pending_organisation.get_absolute_url())
    assert response.status_code == expected


def test_the_owner_of_a_pending_organisation_sees_it(client, pending_organisation):
    client.force_login(pending_organisation.memberships.get().user)
    assert client.get(pending_organisation.get_absolute_url()).status_code == 200


def test_search_ignores_case_and_polish_diacritics(client, municipality):
    OrganisationFactory(name="Stowarzyszenie Łódzkich Ogrodników", seat_municipality=municipality)
    OrganisationFactory(name="Fundacja Wisła", seat_municipality=municipality)
    response = client.get(reverse("directory:organisation-list"), {"q": "LODZKICH"})
    content = response.content.decode()
    assert "Łódzkich Ogrodników" in content
    assert "Fundacja Wisła" not in content


def test_filters_combine_and_keep_their_values(client, municipality, other_municipality):
    OrganisationFactory(
        name="Spółdzielnia Socjalna Kąsek",
        legal_form="social_cooperative",
        seat_municipality=municipality,
        is_social_enterprise=True,
        social_enterprise_since="2022-01-10",
    )
    OrganisationFactory(
        name="Spółdzielnia Socjalna Daleko",
        legal_form="social_cooperative",
        seat_municipality=other_municipality,
    )
    response = client.get(
        reverse("directory:organisation-list"),
        {
            "legal_form": "social_cooperative",
            "municipality": municipality.slug,
            "social_enterprise": "on",
        },
    )
    content = response.content.decode()
    assert "Kąsek" in content
    assert "Daleko" not in content
    # The municipality, given by its slug, shows as its name in the autocomplete's text input.
    assert f"&quot;value&quot;: &quot;{municipality.slug}&quot;" in content
    assert 'value="Toruń (gmina miejska, woj. kujawsko-pomorskie, TERYT 0463011)"' in content


def test_the_list_paginates(client, municipality):
    OrganisationFactory.create_batch(25, seat_municipality=municipality)
    first = client.get(reverse("directory:organisation-list"))
    second = client.get(reverse("directory:organisation-list"), {"page": 2})
    assert len(first.context["organisations"]) == 20
    assert len(second.context["organisations"]) == 5
    assert first.context["paginator"].count == 25


def _count_queries(client, django_assert_max_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["directory:organisation-list", "directory:organisation-map"])
def test_public_list_pages_run_a_fixed_number_of_queries(client, municipality, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        cache.clear()  # each count renders the filter's fields (includes/filter_fields.html)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name)).status_code == 200
        return len(captured)

    OrganisationFactory(seat_municipality=municipality, latitude="53.01", longitude="18.6")
    with_one = queries()
    for organisation in OrganisationFactory.create_batch(
        19, seat_municipality=municipality, latitude="53.02", longitude="18.61"
    ):
        organisation.spheres.set(PublicBenefitSphere.objects.all()[:3])
    assert queries() == with_one


def test_the_filters_fields_are_kept_per_query_and_language(client, municipality):
    """includes/filter_fields.html: the same filters asked again render no field (the spheres
    are read to filter, not again for the select's options), other filters or another language
    get their own fields, and the page number does not matter."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    OrganisationFactory(seat_municipality=municipality)
    url = reverse("directory:organisation-list")
    sphere = PublicBenefitSphere.objects.order_by("position").first()

    def read(query, language="pl"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, query, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        spheres = [q for q in captured if 'FROM "directory_publicbenefitsphere"' in q["sql"]]
        return response.content.decode(), len(captured), len(spheres)

    first, cold, spheres = read({"sphere": sphere.pk})
    assert spheres == 2 and f'<option value="{sphere.pk}" selected>' in first
    again, warm, spheres = read({"sphere": sphere.pk, "page": "1"})
    assert (warm, spheres) == (cold - 1, 1)
    assert f'<option value="{sphere.pk}" selected>' in again
    other, _, spheres = read({"legal_form": "foundation"})
    assert spheres == 1 and f'<option value="{sphere.pk}" selected>' not in other
    assert '<option value="foundation" selected>' in other
    english, _, _ = read({"sphere": sphere.pk}, language="en")
    assert "Legal form" in english and "Legal form" not in first


def test_verification_queue_runs_a_fixed_number_of_queries(client, official, municipality):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(official)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("directory:verification-queue")).status_code == 200
        return len(captured)

    OrganisationFactory(pending=True, seat_municipality=municipality)
    with_one = queries()
    OrganisationFactory.create_batch(15, pending=True, seat_municipality=municipality)
    assert queries() == with_one


def test_the_map_lists_the_same_places_as_text(client, municipality):
    OrganisationFactory(
        name="Fundacja Na Mapie", seat_municipality=municipality, latitude="53.01", longitude="18.6"
    )
    response = client.get(reverse("directory:organisation-map"))
    content = response.content.decode()
    assert "<table>" in content and "Fundacja Na Mapie" in content
    # The map itself asks the GeoJSON endpoint for the same places.
    points = client.get(response.context["geojson_url"], {"bbox": "18,52,19,54"}).json()
    assert [feature["properties"]["name"] for feature in points["features"]] == [
        "Fundacja Na Mapie"
    ]


# --- registration ------------------------------------------------------------------------------


def test_registration_needs_an_account(client):
    assert login_redirect(client.get(reverse("directory:organisation-register")))


@pytest.mark.parametrize("role", [r for r in ROLES if r != "resident"])
def test_any_signed_in_user_may_register_an_organisation(role, as_role, client, organisation):
    as_role(role)
    assert client.get(reverse("directory:organisation-register")).status_code == 200


def test_registering_creates_a_pending_organisation_owned_by_the_user(
    client, signed_in_user, municipality, official, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(signed_in_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory:organisation-register"), valid_form_data(municipality)
        )
    organisation = Organisation.objects.get(name="Fundacja Nowy Rozdział")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.memberships.get().user == signed_in_user
    assert organisation.memberships.get().role == OrganisationMembership.Role.OWNER
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted([signed_in_user.email, official.email])


@pytest.mark.parametrize(
    ("field", "value", "code_text"),
    [
        ("nip", "1234567890", "NIP"),
        ("regon", "123456789", "REGON"),
        ("krs", "12345", "KRS"),
        ("postal_code", "87100", "00-000"),
    ],
)
def test_bad_registry_numbers_are_explained_next_to_the_field_and_nothing_typed_is_lost(
    client, signed_in_user, municipality, field, value, code_text
):
    client.force_login(signed_in_user)
    with translation.override("en"):
        response = client.post(
            reverse("directory:organisation-register"),
            valid_form_data(municipality, **{field: value}),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert code_text in " ".join(form.errors[field])
    content = response.content.decode()
    assert 'value="Fundacja Nowy Rozdział"' in content  # what was typed is still there
    assert 'role="alert"' in content  # the summary of errors
    assert not Organisation.objects.exists()


def test_a_duplicate_nip_is_refused_with_a_message(
    client, signed_in_user, municipality, organisation
):
    client.force_login(signed_in_user)
    response = client.post(
        reverse("directory:organisation-register"),
        valid_form_data(municipality, nip=organisation.nip),
    )
    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["nip"][0]
        .startswith(str(Organisation._meta.get_field("nip").error_messages["unique"])[:20])
    )
    assert Organisation.objects.count() == 1


def _png(size=(64, 64)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "logo.png"
    return buffer


def test_a_logo_that_is_not_an_image_is_refused(client, signed_in_user, municipality):
    client.force_login(signed_in_user)
    fake = io.BytesIO(b"%PDF-1.4 not an image")
    fake.name = "logo.png"
    response = client.post(
        reverse("directory:organisation-register"), {**valid_form_data(municipality), "logo": fake}
    )
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_a_refused_logo_keeps_the_rest_of_the_form_and_says_why(
    client, signed_in_user, municipality
):
    client.force_login(signed_in_user)
    fake = io.BytesIO(b"MZ\x90\x00 not an image")
    fake.name = "logo.png"
    with translation.override("pl"):
        response = client.post(
            reverse("directory:organisation-register"),
            {**valid_form_data(municipality, name="Fundacja Zachowanych Pól"), "logo": fake},
            HTTP_ACCEPT_LANGUAGE="pl",
        )

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Fundacja Zachowanych Pól"' in page
    assert "Prowadzimy warsztaty dla młodzieży." in page
    assert "Ten plik nie jest obrazem" in page
    assert not Organisation.objects.exists()


def test_an_oversized_logo_is_refused(client, signed_in_user, municipality, settings):
    settings.LOGO_MAX_BYTES = 100
    client.force_login(signed_in_user)
    response = client.post(
        reverse("directory:organisation-register"),
        {**valid_form_data(municipality), "logo": _png()},
    )
    assert response.status_code == 200
    assert "logo" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_a_valid_logo_is_stored_and_shown(client, signed_in_user, municipality):
    client.force_login(signed_in_user)
    client.post(
        reverse("directory:organisation-register"),
        {**valid_form_data(municipality), "logo": _png()},
    )
    organisation = Organisation.objects.get()
    assert organisation.logo.name.endswith(".png")
    assert organisation.logo.url in client.get(organisation.get_absolute_url()).content.decode()


def test_a_logo_uploaded_in_the_admin_is_stored_as_the_reencoded_copy(rf, admin_user, organisation):
    from django.contrib.admin.sites import site

    from tests.image_files import jpeg_with_gps

    organisation.logo = jpeg_with_gps("logo.pdf")
    model_admin = site._registry[Organisation]
    model_admin.save_model(rf.post("/"), organisation, form=None, change=True)

    organisation.refresh_from_db()
    assert re.fullmatch(r"logos/\d{4}/[0-9a-f]{32}\.jpg", organisation.logo.name)
    with organisation.logo.open("rb") as stored:
        assert b"Exif" not in stored.read()


# --- editing -----------------------------------------------------------------------------------

EDIT = {
    "resident": "login",
    "signed_in_user": 403,
    "pes_owner": 200,
    "pes_editor": 200,
    "other_pes_member": 403,
    "official": 403,
    "other_official": 403,
    "monitoring_member": 403,
    "business_buyer": 403,
    "admin_user": 200,
}


@pytest.mark.parametrize(("role", "expected"), EDIT.items())
def test_only_members_edit_their_organisation(
    role, expected, as_role, client, organisation, pes_owner, pes_editor
):
    as_role(role)
    url = reverse("directory:organisation-edit", args=[organisation.slug])
    assert outcome(client.get(url)) == expected
    verified_name = organisation.name
    response = client.post(
        url,
        valid_form_data(
            organisation.seat_municipality,
            nip=organisation.nip,
            name="Zmieniona",
            description="Nowy opis działalności.",
        ),
    )
    organisation.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert organisation.description == "Nowy opis działalności."
    else:
        assert outcome(response) == expected
        assert organisation.description != "Nowy opis działalności."
    # The organisation is verified: its legal data do not change through this form, whoever
    # posts them (owners propose a change for an official to review).
    assert organisation.name == verified_name


def test_an_editor_of_one_organisation_cannot_edit_another(client, pes_editor, other_municipality):
    other = OrganisationFactory(seat_municipality=other_municipality, name="Cudza Fundacja")
    client.force_login(pes_editor)
    response = client.post(
        reverse("directory:organisation-edit", args=[other.slug]),
        valid_form_data(other_municipality, nip=other.nip, name="Przejęta"),
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.name == "Cudza Fundacja"


def test_editing_with_bad_input_keeps_the_saved_data(client, pending_organisation):
    # Before verification the owner corrects the legal data (the NIP) in this form.
    organisation = pending_organisation
    client.force_login(organisation.memberships.get().user)
    saved_nip = organisation.nip
    response = client.post(
        reverse("directory:organisation-edit", args=[organisation.slug]),
        valid_form_data(organisation.seat_municipality, nip="1234567890", name="Nowa nazwa"),
    )
    assert response.status_code == 200
    assert "nip" in response.context["form"].errors
    organisation.refresh_from_db()
    assert organisation.nip == saved_nip
    assert organisation.name != "Nowa nazwa"


def test_correcting_a_returned_registration_sends_it_back_for_verification(
    client, municipality, official, mailoutbox, django_capture_on_commit_callbacks
):
    rejected = OrganisationFactory(rejected=True, seat_municipality=municipality)
    owner = make_pes_member(rejected)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:organisation-edit", args=[rejected.slug]),
            valid_form_data(municipality, nip=rejected.nip, krs="0000999999"),
        )
    rejected.refresh_from_db()
    assert rejected.status == Organisation.Status.PENDING
    assert official.email in [address for message in mailoutbox for address in message.to]


# --- members -----------------------------------------------------------------------------------

MANAGE = {**EDIT, "pes_editor": 403}


@pytest.mark.parametrize(("role", "expected"), MANAGE.items())
def test_only_owners_manage_members(
    role, expected, as_role, client, organisation, pes_owner, pes_editor
):
    as_role(role)
    url = reverse("directory:organisation-members", args=[organisation.slug])
    assert outcome(client.get(url)) == expected
    response = client.post(url, {"email": "nowy@example.org"})
    assert outcome(response) == (302 if expected == 200 else expected)
    assert organisation.invitations.filter(email="nowy@example.org").exists() == (expected == 200)


@pytest.mark.parametrize(("role", "expected"), MANAGE.items())
def test_only_owners_remove_members(
    role, expected, as_role, client, organisation, pes_owner, pes_editor
):
    as_role(role)
    membership = organisation.memberships.get(user=pes_editor)
    response = client.post(
        reverse("directory:member-remove", args=[organisation.slug, membership.pk])
    )
    assert outcome(response) == (302 if expected == 200 else expected)
    assert organisation.memberships.filter(pk=membership.pk).exists() == (expected != 200)


@pytest.mark.parametrize(("role", "expected"), MANAGE.items())
def test_only_owners_change_members_roles(
    role, expected, as_role, client, organisation, pes_owner, pes_editor
):
    as_role(role)
    membership = organisation.memberships.get(user=pes_editor)
    response = client.post(
        reverse("directory:member-role", args=[organisation.slug, membership.pk]),
        {"role": "owner"},
    )
    assert outcome(response) == (302 if expected == 200 else expected)
    membership.refresh_from_db()
    assert (membership.role == "owner") == (expected == 200)


def test_the_last_owner_hands_the_organisation_over_and_steps_down(
    client, organisation, pes_owner, pes_editor
):
    client.force_login(pes_owner)
    own = organisation.memberships.get(user=pes_owner)
    editor = organisation.memberships.get(user=pes_editor)
    role_url = "directory:member-role"
    # Alone as an owner, the owner cannot step down: the message says what to do instead.
    response = client.post(
        reverse(role_url, args=[organisation.slug, own.pk]), {"role": "editor"}, follow=True
    )
    assert "Najpierw nadaj rolę właściciela innemu członkowi" in response.content.decode()
    own.refresh_from_db()
    assert own.role == "owner"
    client.post(reverse(role_url, args=[organisation.slug, editor.pk]), {"role": "owner"})
    client.post(reverse(role_url, args=[organisation.slug, own.pk]), {"role": "editor"})
    own.refresh_from_db()
    editor.refresh_from_db()
    assert (own.role, editor.role) == ("editor", "owner")
    event = (
        AuditEvent.objects.for_object(organisation)
        .filter(action="organisation.member_role_changed")
        .latest("pk")
    )
    assert event.after == {"member": pes_owner.email, "role": "editor"}


@pytest.mark.parametrize("role", ["", "admin", "owner\x00"])
def test_an_unknown_role_is_refused_with_a_message(
    client, organisation, pes_owner, pes_editor, role
):
    client.force_login(pes_owner)
    editor = organisation.memberships.get(user=pes_editor)
    response = client.post(
        reverse("directory:member-role", args=[organisation.slug, editor.pk]),
        {"role": role},
        follow=True,
    )
    assert response.status_code == 200
    assert "Wybierz: właściciel albo redaktor." in response.content.decode()
    editor.refresh_from_db()
    assert editor.role == "editor"


def test_the_last_owner_cannot_be_removed(client, organisation, pes_owner, admin_user):
    client.force_login(admin_user)
    membership = organisation.memberships.get(user=pes_owner)
    client.post(reverse("directory:member-remove", args=[organisation.slug, membership.pk]))
    assert organisation.memberships.filter(pk=membership.pk).exists()


def test_an_invited_person_accepts_and_becomes_an_editor(
    client, organisation, pes_owner, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(pes_owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:organisation-members", args=[organisation.slug]),
            {"email": "Nowa.Osoba@example.org"},
        )
    invitation = organisation.invitations.get()
    assert mailoutbox[-1].to == ["nowa.osoba@example.org"]
    assert invitation.token in mailoutbox[-1].body

    from tests.factories import UserFactory

    invitee = UserFactory(email="nowa.osoba@example.org")
    client.force_login(invitee)
    url = reverse("directory:invitation-accept", args=[invitation.token])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert organisation.memberships.get(user=invitee).role == "editor"


def test_an_invitation_cannot_be_accepted_by_someone_else(
    client, organisation, pes_owner, signed_in_user
):
    from tests.directory.factories import InvitationFactory

    invitation = InvitationFactory(
        organisation=organisation, email="ktos@example.org", invited_by=pes_owner
    )
    client.force_login(signed_in_user)
    response = client.post(
        reverse("directory:invitation-accept", args=[invitation.token]), follow=True
    )
    assert not organisation.memberships.filter(user=signed_in_user).exists()
    assert "ktos@example.org" in response.content.decode()


def test_an_unknown_invitation_is_404(client, signed_in_user):
    client.force_login(signed_in_user)
    assert client.get(reverse("directory:invitation-accept", args=["nope"])).status_code == 404


@pytest.mark.parametrize("token", ["abc%00def", "%00", "abc%20def", "%E4%B8%AD"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_token_that_no_invitation_could_have_is_404(client, signed_in_user, token, method):
    """A NUL byte reached PostgreSQL, which refuses it in a query parameter (a 500): the URL
    itself now accepts only the token's alphabet."""
    client.force_login(signed_in_user)
    response = getattr(client, method)(f"/organizacje/zaproszenie/{token}/")
    assert response.status_code == 404


def test_the_invitation_url_does_not_resolve_a_nul_byte():
    with pytest.raises(Resolver404):
        resolve("/organizacje/zaproszenie/abc\x00def/")


# --- verification ------------------------------------------------------------------------------

QUEUE = {
    "resident": "login",
    "signed_in_user": 403,
    "pes_owner": 403,
    "pes_editor": 403,
    "other_pes_member": 403,
    "official": 200,
    "other_official": 200,
    "monitoring_member": 403,
    "business_buyer": 403,
    "admin_user": 200,
}


@pytest.mark.parametrize(("role", "expected"), QUEUE.items())
def test_only_officials_open_the_verification_queue(
    role, expected, as_role, client, pending_organisation, organisation
):
    user = as_role(role)
    response = client.get(reverse("directory:verification-queue"))
    assert outcome(response) == expected
    if expected == 200:
        listed = pending_organisation.name in response.content.decode()
        assert listed == (role in ("official", "admin_user")), user


DECIDE = {
    "resident": "login",
    "signed_in_user": 404,
    "pes_owner": 404,
    "pes_editor": 404,
    "other_pes_member": 404,
    "official": 200,
    "other_official": 404,
    "monitoring_member": 404,
    "business_buyer": 404,
    "admin_user": 200,
}


@pytest.mark.parametrize(("role", "expected"), DECIDE.items())
def test_only_the_seat_municipalitys_officials_verify(
    role, expected, as_role, client, pending_organisation, organisation, pes_owner, pes_editor
):
    as_role(role)
    url = reverse("directory:organisation-decision", args=[pending_organisation.slug])
    assert outcome(client.get(url)) == expected
    response = client.post(url, {"decision": "verify"})
    pending_organisation.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302
        assert pending_organisation.status == Organisation.Status.VERIFIED
    else:
        assert outcome(response) == expected
        assert pending_organisation.status == Organisation.Status.PENDING


def test_the_owner_of_a_pending_organisation_cannot_verify_it(client, pending_organisation):
    client.force_login(pending_organisation.memberships.get().user)
    response = client.post(
        reverse("directory:organisation-decision", args=[pending_organisation.slug]),
        {"decision": "verify"},
    )
    assert response.status_code == 403
    pending_organisation.refresh_from_db()
    assert pending_organisation.status == Organisation.Status.PENDING


def test_a_verified_organisation_cannot_be_decided_again(client, official, organisation):
    client.force_login(official)
    response = client.post(
        reverse("directory:organisation-decision", args=[organisation.slug]), {"decision": "verify"}
    )
    assert response.status_code == 403


def test_returning_a_registration_needs_a_reason(client, official, pending_organisation):
    client.force_login(official)
    url = reverse("directory:organisation-decision", args=[pending_organisation.slug])
    response = client.post(url, {"decision": "reject", "reason": "  "})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    pending_organisation.refresh_from_db()
    assert pending_organisation.status == Organisation.Status.PENDING


def test_returning_a_registration_tells_the_owner_why(
    client, official, pending_organisation, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:organisation-decision", args=[pending_organisation.slug]),
            {"decision": "reject", "reason": "Numer KRS należy do innej organizacji."},
        )
    pending_organisation.refresh_from_db()
    assert pending_organisation.status == Organisation.Status.REJECTED
    owner = pending_organisation.memberships.get().user
    assert mailoutbox[-1].to == [owner.email]
    assert "Numer KRS należy do innej organizacji." in mailoutbox[-1].body
    client.force_login(owner)
    page = client.get(pending_organisation.get_absolute_url()).content.decode()
    assert "Numer KRS należy do innej organizacji." in page


# --- history -----------------------------------------------------------------------------------

HISTORY = {
    "resident": "login",
    "signed_in_user": 403,
    "pes_owner": 200,
    "pes_editor": 200,
    "other_pes_member": 403,
    "official": 200,
    "other_official": 403,
    "monitoring_member": 403,
    "business_buyer": 403,
    "admin_user": 200,
}


@pytest.mark.parametrize(("role", "expected"), HISTORY.items())
def test_the_history_of_legal_data_is_for_officials_and_members(
    role, expected, as_role, client, organisation, pes_owner, pes_editor
):
    as_role(role)
    response = client.get(reverse("directory:organisation-history", args=[organisation.slug]))
    assert outcome(response) == expected


def test_the_history_shows_what_changed(client, official, pending_organisation):
    organisation = pending_organisation
    client.force_login(organisation.memberships.get().user)
    client.post(
        reverse("directory:organisation-edit", args=[organisation.slug]),
        valid_form_data(
            organisation.seat_municipality,
            nip=organisation.nip,
            krs="0000777777",
            name=organisation.name,
            legal_form=organisation.legal_form,
            regon=organisation.regon,
        ),
    )
    assert (
        AuditEvent.objects.for_object(organisation)
        .filter(action="organisation.legal_data_changed")
        .exists()
    )
    client.force_login(official)
    content = client.get(
        reverse("directory:organisation-history", args=[organisation.slug])
    ).content.decode()
    assert "0000777777" in content


# --- pages of the portal -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["pestor:home", "pestor:accessibility", "pestor:privacy", "account_login", "account_signup"],
)
def test_public_pages_open_for_residents(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert '<html lang="pl">' in response.content.decode()


def test_the_dashboard_needs_an_account(client):
    assert login_redirect(client.get(reverse("pestor:dashboard")))


@pytest.mark.parametrize("role", [r for r in ROLES if r != "resident"])
def test_the_dashboard_shows_what_each_role_can_do(
    role, as_role, client, organisation, pes_owner, pes_editor, pending_organisation
):
    user = as_role(role)
    content = client.get(reverse("pestor:dashboard")).content.decode()
    queue_url = reverse("directory:verification-queue")
    assert (queue_url in content) == (role in ("official", "other_official", "admin_user"))
    if role in ("pes_owner", "pes_editor"):
        assert organisation.name in content
    assert user.email in content or user.get_full_name() in content
