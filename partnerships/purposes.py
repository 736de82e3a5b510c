"""What a loan request's purpose may be about: a demand notice the PES won, a competition in
which it received a grant, a premises call it applied to. Read through those apps' selectors,
by the request's ``purpose_kind``; the request keeps the key (``purpose_ref``)."""

from dataclasses import dataclass

from demand import selectors as demand_selectors
from grants import selectors as grants_selectors
from premises import selectors as premises_selectors

from .models import LoanRequest


@dataclass(frozen=True)
class Target:
    kind: str
    pk: int
    title: str
    url: str


def _notices(organisation):
    return [
        (notice.pk, notice.title, notice.get_absolute_url())
        for notice in demand_selectors.notices_won(organisation=organisation)
    ]


def _grants(organisation):
    found = {}
    for grant in grants_selectors.organisation_grants(organisation=organisation):
        competition = grant.competition
        found.setdefault(
            competition.pk, (competition.pk, competition.title, competition.get_absolute_url())
        )
    return list(found.values())


def _calls(organisation):
    return [
        (call.pk, call.title, call.get_absolute_url())
        for call in premises_selectors.calls_of_organisation(organisation=organisation)
    ]


SOURCES = {
    LoanRequest.Purpose.NOTICE: _notices,
    LoanRequest.Purpose.GRANT: _grants,
    LoanRequest.Purpose.PREMISES: _calls,
}


def targets(organisation) -> list[Target]:
    """Everything the organisation's requests may be about, by kind."""
    return [
        Target(kind, pk, title, url)
        for kind, source in SOURCES.items()
        for pk, title, url in source(organisation)
    ]


def target_of(loan_request: LoanRequest) -> Target | None:
    """What the request's purpose is about, while the organisation still holds it."""
    source = SOURCES.get(loan_request.purpose_kind)
    if loan_request.purpose_ref is None or source is None:
        return None
    for pk, title, url in source(loan_request.organisation):
        if pk == loan_request.purpose_ref:
            return Target(loan_request.purpose_kind, pk, title, url)
    return None
