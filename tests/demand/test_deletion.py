"""Deleting the people and organisations of a demand procedure leaves the procedure whole: an
awarded PES cannot be deleted, and a deleted official's notices, awards and questions stay."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from demand import services
from demand.models import Answer, DemandNotice
from directory.models import Organisation
from exchange.models import Inquiry
from tests.demand.factories import AnswerFactory, NoticeFactory
from tests.exchange.factories import InquiryFactory, OfferFactory
from tests.factories import make_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(official, department, organisation, pes_owner):
    """A notice the official posted and awarded to ``organisation``'s answer."""
    notice = NoticeFactory(department=department, expired=True, posted_by=official)
    answer = AnswerFactory(notice=notice, organisation=organisation, submitted_by=pes_owner)
    services.notice_award(
        notice=notice,
        actor=official,
        answers=[answer],
        awarded_value=Decimal("3500.00"),
        award_date=timezone.localdate(),
    )
    answer.refresh_from_db()
    return answer


def test_an_organisation_with_an_awarded_answer_is_not_deleted_and_the_admin_says_why(
    client, admin_user, awarded
):
    organisation = awarded.organisation
    client.force_login(admin_user)
    url = reverse("admin:directory_organisation_delete", args=[organisation.pk])

    response = client.post(url, {"post": "yes"})

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Nie można usunąć „{organisation.name}”" in page
    assert "zapisy, które należą do historii innych" in page
    assert str(awarded) in page  # the answer that protects it is listed
    assert "zwrócona do poprawy" in page  # and what to do instead
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    awarded.refresh_from_db()
    assert awarded.is_awarded


def test_a_deleted_officials_notices_awards_and_inquiries_stay_and_the_history_names_them(
    client, admin_user, municipality, official, awarded, organisation
):
    notice = awarded.notice
    department = official.official_memberships.get().department
    inquiry = InquiryFactory(
        offer=OfferFactory(organisation=organisation),
        buyer=official,
        buyer_department=department,
    )
    name = official.get_full_name()
    client.force_login(admin_user)

    response = client.post(reverse("admin:pestor_user_delete", args=[official.pk]), {"post": "yes"})

    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == DemandNotice.Status.AWARDED
    assert notice.awarded_value == Decimal("3500.00")
    assert notice.posted_by_id == official.pk
    assert Answer.objects.get(pk=awarded.pk).is_awarded
    assert Inquiry.objects.filter(pk=inquiry.pk).exists()
    official.refresh_from_db()
    assert official.anonymised_at is not None
    assert name not in official.display_name
    # Another official of the department still reads who awarded the contract.
    client.force_login(make_official(municipality, email="nastepca@torun.example.org"))
    page = client.get(notice.get_absolute_url()).content.decode()
    assert f"{name}" in page.split('id="history-title"')[1]
