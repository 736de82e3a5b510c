"""The discount rules edited in the portal by the officials allowed to (the permission
``premises.change_discountpolicy``), with every version kept and shown on the public page."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import PublicBenefitSphere
from pestor.models import AuditEvent
from premises import selectors, services
from premises.models import Floor, PolicyRevision
from premises.rules import propose_discount
from tests.roles import ROLES, outcome

pytestmark = pytest.mark.django_db

ALLOWED = {"official", "admin_user"}


def _grant(*users):
    permission = Permission.objects.get(
        content_type__app_label="premises", codename="change_discountpolicy"
    )
    for user in users:
        user.user_permissions.add(permission)


@pytest.fixture
def allowed(official, other_official):
    """The official of Toruń and the official of the neighbour both hold the permission: only
    the first may use it on Toruń's rules."""
    _grant(official, other_official)


def _data(policy, **changes):
    data = {
        "discount_months": "12",
        "lease_term_months": "36",
        "report_due_day": "31",
        "report_due_month": "3",
        "reason": "Zarządzenie Prezydenta nr 12/2026",
    }
    for row in policy.sphere_discounts.all():
        data[f"sphere_{row.sphere_id}"] = str(row.max_percent)
    for row in policy.floor_discounts.all():
        data[f"floor_{row.floor}"] = str(row.extra_points)
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_only_the_municipality_officials_with_the_permission_edit_the_rules(
    role, as_role, client, policy, allowed, municipality
):
    as_role(role)
    url = reverse("premises:policy-update", args=[municipality.slug])
    response = client.get(url)
    expected = "login" if role == "resident" else (200 if role in ALLOWED else 403)
    assert outcome(response) == expected
    sphere = PublicBenefitSphere.objects.get(code="1")
    response = client.post(url, _data(policy, **{f"sphere_{sphere.pk}": "60"}))
    changed = policy.sphere_discounts.get(sphere=sphere).max_percent == 60
    assert changed == (role in ALLOWED)
    page = client.get(reverse("premises:policy-detail", args=[municipality.slug])).content
    assert (url.encode() in page) == (role in ALLOWED)


def test_an_official_without_the_permission_cannot(client, official, policy, municipality):
    client.force_login(official)
    url = reverse("premises:policy-update", args=[municipality.slug])
    assert client.get(url).status_code == 403


def test_a_change_is_kept_as_a_version_with_its_reason_and_proposes_new_discounts(
    client, official, allowed, policy, municipality
):
    client.force_login(official)
    sphere = PublicBenefitSphere.objects.get(code="1")
    response = client.post(
        reverse("premises:policy-update", args=[municipality.slug]),
        _data(
            policy,
            **{
                f"sphere_{sphere.pk}": "60",
                f"floor_{Floor.BASEMENT}": "25",
                "discount_months": "24",
            },
        ),
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.discount_months == 24
    assert propose_discount(policy=policy, sphere=sphere, floor=Floor.BASEMENT).percent == 85
    latest, seeded = PolicyRevision.objects.filter(policy=policy).order_by("-pk")
    assert latest.reason == "Zarządzenie Prezydenta nr 12/2026"
    assert latest.revised_by == official
    assert latest.rules["spheres"]["1"] == "60.00"
    assert seeded.rules["spheres"]["1"] == "70.00"  # the earlier version stays as it was
    event = AuditEvent.objects.filter(action="premises.policy_set").latest("pk")
    assert event.comment == "Zarządzenie Prezydenta nr 12/2026"
    page = client.get(reverse("premises:policy-detail", args=[municipality.slug])).content.decode()
    assert "Zarządzenie Prezydenta nr 12/2026" in page
    assert "do 60% dla" in page and "do 70% dla" in page  # the new rules and the old


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"discount_months": "0"}, "discount_months"),
        ({"report_due_month": "13"}, "report_due_month"),
        ({"sphere": "150"}, "sphere"),
        ({"sphere": "-5"}, "sphere"),
        ({"sphere": "NaN"}, "sphere"),
        ({"floor_basement": "101"}, "floor_basement"),
    ],
)
def test_bad_rules_get_a_message_and_keep_what_was_typed(
    client, official, allowed, policy, municipality, changes, field
):
    client.force_login(official)
    sphere = PublicBenefitSphere.objects.get(code="1")
    if "sphere" in changes:
        changes = {f"sphere_{sphere.pk}": changes["sphere"]}
        field = f"sphere_{sphere.pk}"
    data = _data(policy, **changes, lease_term_months="48")
    response = client.post(reverse("premises:policy-update", args=[municipality.slug]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'value="48"' in response.content.decode()
    assert PolicyRevision.objects.filter(policy=policy).count() == 1
    policy.refresh_from_db()
    assert policy.lease_term_months == 36


def test_the_service_refuses_without_permission_or_reason(policy, official, municipality):
    with pytest.raises(ValidationError) as error:
        services.policy_change(
            municipality=municipality,
            actor=official,
            reason="x",
            spheres={},
            floors={},
            discount_months=12,
            lease_term_months=None,
        )
    assert error.value.code == "not_allowed"
    _grant(official)
    official = type(official).objects.get(pk=official.pk)  # a fresh permission cache
    with pytest.raises(ValidationError) as error:
        services.policy_change(
            municipality=municipality,
            actor=official,
            reason=" ",
            spheres={},
            floors={},
            discount_months=12,
            lease_term_months=None,
        )
    assert "reason" in error.value.error_dict


def test_the_policy_page_runs_a_fixed_number_of_queries_whatever_the_history(
    client, django_assert_num_queries, official, policy, municipality
):
    url = reverse("premises:policy-detail", args=[municipality.slug])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for number in range(5):
        services.policy_set(
            municipality=municipality,
            actor=official,
            spheres={PublicBenefitSphere.objects.get(code="1"): Decimal(50 + number)},
            floors={Floor.ATTIC: Decimal(10)},
            discount_months=12,
            lease_term_months=None,
            reason=f"Zmiana {number}",
        )
    with django_assert_num_queries(len(first)):
        page = client.get(url).content.decode()
    assert "Zmiana 4" in page
    assert len(selectors.policy_history(policy=policy)) == 6
