"""Fixtures of the exchange's tests: an offer of the shared verified organisation, a buyer's
inquiry about it, and the roles of tests/directory/test_views.py."""

import pytest

from tests.exchange.factories import InquiryFactory, OfferFactory, cpv_code


@pytest.fixture
def user_of(request):
    """``user_of("pes_owner")``: the user of a role fixture (None for the resident)."""
    return request.getfixturevalue


@pytest.fixture
def catering(db):
    return cpv_code("55520000")


@pytest.fixture
def offer(organisation, pes_owner, pes_editor, catering):
    """A public offer of ``organisation`` (whose owner and editor exist)."""
    return OfferFactory(
        organisation=organisation,
        title="Catering na konferencje",
        description="Obiady i przerwy kawowe.",
        cpv=catering,
        price_type="from",
        price="25.00",
        unit="osoba",
    )


@pytest.fixture
def buyer_company(business_buyer):
    return business_buyer.buyer_memberships.get().company


@pytest.fixture
def inquiry(offer, business_buyer, buyer_company):
    """An open inquiry of the business buyer about ``offer``."""
    return InquiryFactory(offer=offer, buyer=business_buyer, buyer_company=buyer_company)


@pytest.fixture
def official_department(official):
    return official.official_memberships.get().department
