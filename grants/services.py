"""Every change to strategies, competitions and offers: one function each, keyword-only, in one
transaction, each writing a row to the event log (``pestor.audit``).

Rules enforced here whatever the caller:
- only the municipality's officials edit its strategy and run its competitions;
- a competition's card is fixed once it is announced; announcing it opens its committee's panel
  (``scoring``) with the card's merit criteria and one strategy criterion per outcome served;
- offers are taken, changed and withdrawn only before the deadline by the server's clock, checked
  while the competition's row is locked, so a save racing the deadline cannot slip past it;
- amounts are proposed only after the chair has closed scoring, for offers that passed the
  formal check, each within what was requested and all within the budget.
"""

import logging
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opendata import changes as opendata_changes
from pestor import audit, jobs
from pestor.notifications import absolute_url, notify
from pestor.storage import private_storage
from pestor.validators import validate_pdf
from scoring import services as scoring_services
from scoring.models import Member as PanelMember
from scoring.models import Panel

from .models import (
    AnalysisPdf,
    Competition,
    Contribution,
    FormalCriterion,
    MeritCriterion,
    Offer,
    OfferDocument,
    OfferOutcome,
    Strategy,
    StrategyArea,
    StrategyGoal,
    StrategyOutcome,
    analysis_pdf_path,
)
from .permissions import is_city_official, verified_organisation_ids

logger = logging.getLogger(__name__)

MAX_DOCUMENTS = 5
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
CENT = Decimal("0.01")

# art. 15 ust. 1 of the Act on public benefit activity: what the evaluation of an offer weighs.
MERIT_CRITERIA = [
    ("Możliwość realizacji zadania przez oferenta", 10),
    ("Kalkulacja kosztów realizacji zadania", 10),
    ("Jakość zadania i kwalifikacje osób realizujących zadanie", 10),
    ("Udział środków finansowych własnych lub z innych źródeł", 5),
    ("Wkład rzeczowy, osobowy, w tym świadczenia wolontariuszy i praca społeczna członków", 5),
    ("Analiza i ocena realizacji zleconych zadań publicznych w latach poprzednich", 5),
]
FORMAL_CRITERIA = [
    "Oferta złożona w terminie",
    "Oferent uprawniony do udziału w konkursie",
    "Oferta kompletna (wszystkie wymagane załączniki)",
]

COMPETITION_FIELDS = (
    "title",
    "description",
    "sphere_id",
    "budget",
    "offers_from",
    "offers_until",
    "task_starts_on",
    "task_ends_on",
    "alignment_points",
)
OFFER_FIELDS = (
    "task_title",
    "total_cost",
    "grant_requested",
    "own_funds",
    "in_kind_value",
    "volunteer_hours",
    "volunteer_value",
)


def document_max_bytes() -> int:
    return getattr(settings, "GRANTS_DOCUMENT_MAX_BYTES", DOCUMENT_MAX_BYTES)


def _require_official(actor, municipality_id) -> None:
    if not is_city_official(actor, municipality_id):
        raise ValidationError(
            _("Only the officials of the municipality can do this."), code="not_official"
        )


def _locked(competition: Competition) -> Competition:
    return Competition.objects.select_for_update().get(pk=competition.pk)


# --- the strategy ------------------------------------------------------------------------------


@transaction.atomic
def strategy_create(*, municipality, actor, **fields) -> Strategy:
    _require_official(actor, municipality.pk)
    strategy = Strategy(municipality=municipality, **fields)
    strategy.full_clean()
    strategy.save()
    audit.record(
        actor=actor,
        action="grants.strategy_create",
        target=strategy,
        after=audit.snapshot(strategy, sorted(fields)),
    )
    return strategy


@transaction.atomic
def strategy_part_save(*, instance, actor, **fields):
    """Create or change a part of a strategy (the strategy itself, an area, a goal or an
    outcome); ``instance`` carries its parent."""
    strategy = _strategy_of(instance)
    _require_official(actor, strategy.municipality_id)
    names = sorted(fields)
    before = audit.snapshot(instance, names) if instance.pk else None
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    audit.record(
        actor=actor,
        action=f"grants.{type(instance).__name__.lower()}_save",
        target=instance,
        before=before,
        after=audit.snapshot(instance, names),
    )
    return instance


def _strategy_of(part) -> Strategy:
    if isinstance(part, Strategy):
        return part
    if isinstance(part, StrategyArea):
        return part.strategy
    if isinstance(part, StrategyGoal):
        return part.area.strategy
    if isinstance(part, StrategyOutcome):
        return part.goal.area.strategy
    raise TypeError(type(part).__name__)


def strategy_area_build(*, strategy, actor, name: str, goals) -> list[StrategyOutcome]:
    """An area of ``strategy`` with its goals and their expected outcomes in one go (a seeded
    strategy, an import): ``goals`` is [(goal name, [(outcome, measure, unit), …]), …]. Each
    part is saved, and logged, as an official's edit would be. Returns the outcomes in order."""
    area = strategy_part_save(instance=StrategyArea(strategy=strategy), actor=actor, name=name)
    outcomes = []
    for goal_order, (goal_name, goal_outcomes) in enumerate(goals):
        goal = strategy_part_save(
            instance=StrategyGoal(area=area), actor=actor, name=goal_name, order=goal_order
        )
        outcomes += [
            strategy_part_save(
                instance=StrategyOutcome(goal=goal),
                actor=actor,
                name=outcome,
                measure=measure,
                unit=unit,
                order=order,
            )
            for order, (outcome, measure, unit) in enumerate(goal_outcomes)
        ]
    return outcomes


# --- competitions ------------------------------------------------------------------------------


def _check_outcomes(outcomes, municipality_id) -> None:
    for outcome in outcomes:
        if outcome.goal.area.strategy.municipality_id != municipality_id:
            raise ValidationError(
                {"outcomes": _("Choose outcomes of your municipality's strategy.")},
                code="outcome_elsewhere",
            )


def _set_card(competition, *, merit_criteria, formal_criteria) -> None:
    if not merit_criteria:
        raise ValidationError(
            {"merit_criteria": _("Give at least one merit criterion with its maximum points.")}
        )
    if not formal_criteria:
        raise ValidationError({"formal_criteria": _("Give at least one formal criterion.")})
    competition.merit_criteria.all().delete()
    competition.formal_criteria.all().delete()
    seen = set()
    for order, (name, max_points) in enumerate(merit_criteria):
        if name in seen:
            raise ValidationError({"merit_criteria": _("Each criterion may appear once.")})
        seen.add(name)
        criterion = MeritCriterion(
            competition=competition, name=name, max_points=Decimal(max_points), order=order
        )
        criterion.full_clean()
        criterion.save()
    for order, name in enumerate(formal_criteria):
        FormalCriterion.objects.create(competition=competition, name=name[:200], order=order)


@transaction.atomic
def competition_create(
    *, municipality, actor, outcomes, merit_criteria=None, formal_criteria=None, **fields
) -> Competition:
    """A draft competition with its card (defaults: the criteria of art. 15 ust. 1 and the
    usual formal conditions)."""
    _require_official(actor, municipality.pk)
    outcomes = list(outcomes)
    _check_outcomes(outcomes, municipality.pk)
    competition = Competition(municipality=municipality, created_by=actor, **fields)
    competition.full_clean()
    competition.save()
    competition.outcomes.set(outcomes)
    _set_card(
        competition,
        merit_criteria=MERIT_CRITERIA if merit_criteria is None else merit_criteria,
        formal_criteria=FORMAL_CRITERIA if formal_criteria is None else formal_criteria,
    )
    audit.record(
        actor=actor,
        action="grants.competition_create",
        target=competition,
        after=audit.snapshot(competition, COMPETITION_FIELDS),
    )
    return competition


@transaction.atomic
def competition_update(
    *, competition, actor, outcomes, merit_criteria, formal_criteria, **fields
) -> Competition:
    competition = _locked(competition)
    _require_official(actor, competition.municipality_id)
    if competition.status != Competition.Status.DRAFT:
        raise ValidationError(
            _("An announced competition cannot be changed."), code="competition_published"
        )
    outcomes = list(outcomes)
    _check_outcomes(outcomes, competition.municipality_id)
    before = audit.snapshot(competition, COMPETITION_FIELDS)
    for name, value in fields.items():
        setattr(competition, name, value)
    competition.full_clean()
    competition.save()
    competition.outcomes.set(outcomes)
    _set_card(competition, merit_criteria=merit_criteria, formal_criteria=formal_criteria)
    audit.record(
        actor=actor,
        action="grants.competition_update",
        target=competition,
        before=before,
        after=audit.snapshot(competition, COMPETITION_FIELDS),
    )
    return competition


def alignment_criteria(competition, *, outcomes=None) -> list[dict]:
    """The strategy-alignment part of the card as scoring criteria: one per outcome served
    (``outcomes``, when the caller has read them in the strategy's order), sharing the part's
    points equally."""
    if outcomes is None:
        outcomes = list(competition.outcomes.order_by("goal__area__order", "goal__order", "order"))
    if not outcomes:
        return []
    share = (competition.alignment_points / len(outcomes)).quantize(CENT, rounding=ROUND_DOWN)
    return [
        {
            "name": (_("Strategy: %(outcome)s") % {"outcome": outcome.name})[:200],
            "description": _(
                "Contribution to the outcome (%(measure)s, %(unit)s): none 0 points, indirect up "
                "to half, direct with a promised quantity up to the maximum."
            )
            % {"measure": outcome.measure, "unit": outcome.unit},
            "max_points": share,
        }
        for outcome in outcomes
    ]


@transaction.atomic
def competition_publish(*, competition, actor, now=None) -> Competition:
    """Announce the competition and open its committee's panel, the announcing official in the
    chair (the chair adds the members on the panel's page)."""
    now = now or timezone.now()
    competition = _locked(competition)
    _require_official(actor, competition.municipality_id)
    if competition.status != Competition.Status.DRAFT:
        raise ValidationError(_("The competition is announced already."), code="published")
    if competition.offers_until <= now:
        raise ValidationError(
            {"offers_until": _("The deadline for offers has passed: set a later one first.")},
            code="deadline_passed",
        )
    if not competition.outcomes.exists():
        raise ValidationError(
            {"outcomes": _("Link the competition to at least one strategy outcome.")},
            code="no_outcomes",
        )
    competition.status = Competition.Status.PUBLISHED
    competition.published_at = now
    competition.save(update_fields=["status", "published_at"])
    merit_part = _("Merit criteria (art. 15 ust. 1)")
    strategy_part = _("Contribution to the strategy")
    criteria = [
        {"name": criterion.name, "max_points": criterion.max_points, "part": merit_part}
        for criterion in competition.merit_criteria.all()
    ] + [{**criterion, "part": strategy_part} for criterion in alignment_criteria(competition)]
    panel = scoring_services.panel_create(
        owner=competition,
        title=competition.title[:200],
        criteria=criteria,
        actor=actor,
        results_visibility=Panel.ResultsVisibility.MEMBERS,
        comment_required_below_half=True,
    )
    scoring_services.member_add(panel=panel, user=actor, actor=actor, role=PanelMember.Role.CHAIR)
    audit.record(actor=actor, action="grants.competition_publish", target=competition)
    return competition


# --- offers ------------------------------------------------------------------------------------


def _deadline_error(competition, now) -> ValidationError:
    if competition.status == Competition.Status.PUBLISHED and now >= competition.offers_until:
        return ValidationError(
            _("Offers closed at %(time)s: they can no longer be submitted or changed.")
            % {"time": timezone.localtime(competition.offers_until).strftime("%d.%m.%Y %H:%M")},
            code="deadline_passed",
        )
    return ValidationError(_("The competition does not take offers now."), code="not_open")


def _check_documents(documents) -> None:
    if len(documents) > MAX_DOCUMENTS:
        raise ValidationError(
            {"documents": _("Attach at most %(count)s files.") % {"count": MAX_DOCUMENTS}}
        )
    for _title, file in documents:
        try:
            validate_pdf(file, max_bytes=document_max_bytes())
        except ValidationError as error:
            raise ValidationError({"documents": error.error_list}) from None


def _check_contributions(competition, contributions) -> dict:
    """{outcome id: (contribution, quantity)} for exactly the competition's outcomes."""
    outcomes = {outcome.pk: outcome for outcome in competition.outcomes.all()}
    cleaned = {}
    errors = {}
    for pk in outcomes:
        contribution, quantity = contributions.get(pk, (Contribution.NONE, None))
        if contribution not in Contribution.values:
            errors[f"contribution_{pk}"] = _("Choose how the task contributes.")
        elif contribution == Contribution.DIRECT and (quantity is None or quantity <= 0):
            errors[f"quantity_{pk}"] = _(
                "A direct contribution needs the quantity promised, in the outcome's unit."
            )
        cleaned[pk] = (contribution, quantity if contribution == Contribution.DIRECT else None)
    if set(contributions) - set(outcomes):
        errors["__all__"] = _("The form holds an outcome the competition does not serve.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _write_contributions(offer, cleaned) -> dict:
    existing = {row.outcome_id: row for row in offer.outcomes.all()}
    after = {}
    for pk, (contribution, quantity) in cleaned.items():
        row = existing.get(pk) or OfferOutcome(offer=offer, outcome_id=pk)
        row.contribution = contribution
        row.promised_quantity = quantity
        row.full_clean(exclude=["offer", "outcome"], validate_unique=False)
        row.save()
        after[str(pk)] = [contribution, None if quantity is None else str(quantity)]
    return after


def _save_documents(offer, documents) -> None:
    for title, file in documents:
        document = OfferDocument(offer=offer, title=(title or file.name)[:200])
        document.file = file
        document.save()


@transaction.atomic
def offer_submit(
    *,
    competition,
    organisation,
    actor,
    contributions: dict,
    documents: list,
    now=None,
    **fields,
) -> Offer:
    """A verified PES's offer (or a paper one an official enters for it), before the deadline
    by the server's clock. ``contributions``: {outcome id: (contribution, quantity)};
    ``documents``: (title, PDF file) pairs, checked by their content, kept private."""
    competition = _locked(competition)
    now = now or timezone.now()  # read once the lock is held: a wait may cross the deadline
    on_behalf = organisation.pk not in verified_organisation_ids(actor)
    if on_behalf:
        if not is_city_official(actor, competition.municipality_id):
            raise ValidationError(
                {"organisation": _("Submit for a verified organisation you belong to.")},
                code="not_member",
            )
        if organisation.status != organisation.Status.VERIFIED:
            raise ValidationError(
                {"organisation": _("Only a verified organisation may submit an offer.")},
                code="not_verified",
            )
    if not competition.accepts_offers(now):
        raise _deadline_error(competition, now)
    cleaned = _check_contributions(competition, contributions)
    _check_documents(documents)
    offer = Offer(
        competition=competition,
        organisation=organisation,
        submitted_by=actor,
        entered_by_official=on_behalf,
        submitted_at=now,
        updated_at=now,
        **fields,
    )
    offer.full_clean(exclude=["competition", "organisation"])
    offer.save()
    after = audit.snapshot(offer, OFFER_FIELDS)
    after["contributions"] = _write_contributions(offer, cleaned)
    _save_documents(offer, documents)
    audit.record(actor=actor, action="grants.offer_submit", target=offer, after=after)
    return offer


@transaction.atomic
def offer_update(
    *, offer, actor, contributions: dict, documents: list, now=None, **fields
) -> Offer:
    """Change an offer until the deadline (the competition's row locked: the clock is read
    after any save racing it has committed or waited)."""
    from .permissions import can_edit_offer

    competition = _locked(offer.competition)
    now = now or timezone.now()  # read once the lock is held: a wait may cross the deadline
    offer = Offer.objects.select_for_update().select_related("competition").get(pk=offer.pk)
    offer.competition = competition
    if not competition.accepts_offers(now):
        raise _deadline_error(competition, now)
    if not can_edit_offer(actor, offer):
        raise ValidationError(_("You cannot change this offer."), code="forbidden")
    return _offer_change(
        offer,
        actor=actor,
        action="grants.offer_update",
        contributions=contributions,
        documents=documents,
        now=now,
        fields=fields,
    )


def _offer_change(offer, *, actor, action, contributions, documents, now, fields) -> Offer:
    """Write a change of the offer (its row locked by the caller) with its event."""
    competition = offer.competition
    cleaned = _check_contributions(competition, contributions)
    if offer.documents.count() + len(documents) > MAX_DOCUMENTS:
        raise ValidationError(
            {"documents": _("Attach at most %(count)s files.") % {"count": MAX_DOCUMENTS}}
        )
    _check_documents(documents)
    before = audit.snapshot(offer, OFFER_FIELDS)
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.updated_at = now
    offer.full_clean(exclude=["competition", "organisation"])
    offer.save()
    after = audit.snapshot(offer, OFFER_FIELDS)
    after["contributions"] = _write_contributions(offer, cleaned)
    _save_documents(offer, documents)
    audit.record(actor=actor, action=action, target=offer, before=before, after=after)
    return offer


@transaction.atomic
def offer_withdraw(*, offer, actor, now=None) -> Offer:
    from .permissions import can_edit_offer

    competition = _locked(offer.competition)
    now = now or timezone.now()
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    offer.competition = competition
    if not competition.accepts_offers(now):
        raise _deadline_error(competition, now)
    if not can_edit_offer(actor, offer):
        raise ValidationError(_("You cannot withdraw this offer."), code="forbidden")
    offer.status = Offer.Status.WITHDRAWN
    offer.updated_at = now
    offer.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="grants.offer_withdraw", target=offer)
    return offer


@transaction.atomic
def offer_check(*, offer, actor, failed_criteria: list, note: str = "") -> Offer:
    """The formal check: every formal criterion met passes the offer; any not met fails it,
    with the reason (the criteria not met and the note), and takes it out of the scoring."""
    from .permissions import can_check_offer

    offer = Offer.objects.select_for_update().select_related("competition").get(pk=offer.pk)
    if not can_check_offer(actor, offer):
        raise ValidationError(_("The formal check is not possible now."), code="forbidden")
    names = [criterion.name for criterion in failed_criteria]
    before = {"formal_status": offer.formal_status, "formal_reason": offer.formal_reason}
    if names:
        offer.formal_status = Offer.Formal.FAILED
        offer.formal_reason = "; ".join(names + ([note.strip()] if note.strip() else []))
    else:
        offer.formal_status = Offer.Formal.PASSED
        offer.formal_reason = ""
    offer.save(update_fields=["formal_status", "formal_reason"])
    audit.record(
        actor=actor,
        action="grants.offer_check",
        target=offer,
        before=before,
        after={"formal_status": offer.formal_status, "formal_reason": offer.formal_reason},
    )
    return offer


@transaction.atomic
def offer_call_supplement(*, offer, actor, note: str, until: date, today=None) -> Offer:
    """The formal check finds a gap: the PES is called to supplement its offer by ``until``
    (the end of that day by the server's clock) and e-mailed. The official then records the
    check as passed or failed, as for any offer."""
    from directory.selectors import organisation_member_emails

    from .permissions import can_call_supplement

    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("competition", "organisation")
        .get(pk=offer.pk)
    )
    if not can_call_supplement(actor, offer):
        raise ValidationError(_("The formal check is not possible now."), code="forbidden")
    note = (note or "").strip()
    errors = {}
    if not note:
        errors["note"] = _("Say what the organisation is to supplement.")
    if until is None or until < (today or timezone.localdate()):
        errors["until"] = _("The date to supplement by cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    before = {"formal_status": offer.formal_status, "supplement_until": offer.supplement_until}
    offer.formal_status = Offer.Formal.SUPPLEMENT
    offer.supplement_note = note
    offer.supplement_until = until
    offer.supplemented_at = None
    offer.save(
        update_fields=["formal_status", "supplement_note", "supplement_until", "supplemented_at"]
    )
    audit.record(
        actor=actor,
        action="grants.offer_call_supplement",
        target=offer,
        before={**before, "supplement_until": str(before["supplement_until"] or "")},
        after={"formal_status": offer.formal_status, "supplement_until": str(until), "note": note},
    )
    notify(
        template="grants/offer_supplement",
        key=f"grants/offer_supplement:{offer.pk}:{until.isoformat()}",
        recipients=organisation_member_emails(organisation=offer.organisation_id),
        context={
            "offer": offer,
            "competition": offer.competition,
            "note": note,
            "until": until,
            "url": absolute_url(offer.get_absolute_url()),
        },
    )
    return offer


@transaction.atomic
def offer_supplement(
    *, offer, actor, contributions: dict, documents: list, now=None, **fields
) -> Offer:
    """The PES supplements its offer after a call, until the end of the day named (the offer's
    row locked, the clock read after the lock)."""
    from .permissions import can_supplement_offer

    offer = (
        Offer.objects.select_for_update(of=("self",)).select_related("competition").get(pk=offer.pk)
    )
    now = now or timezone.now()
    if not offer.supplement_open(now):
        raise ValidationError(
            _("The time to supplement this offer has passed or it was not called to."),
            code="closed",
        )
    if not can_supplement_offer(actor, offer, now=now):
        raise ValidationError(_("You cannot change this offer."), code="forbidden")
    offer = _offer_change(
        offer,
        actor=actor,
        action="grants.offer_supplement",
        contributions=contributions,
        documents=documents,
        now=now,
        fields=fields,
    )
    offer.supplemented_at = now
    offer.save(update_fields=["supplemented_at"])
    return offer


# --- the decision ------------------------------------------------------------------------------


@transaction.atomic
def competition_decide(*, competition, actor, amounts: dict, now=None) -> Competition:
    """Fund the offers given an amount (offer id → Decimal; nothing or 0: not funded), publish
    the results and e-mail every applicant."""
    from .permissions import can_decide

    now = now or timezone.now()
    competition = _locked(competition)
    if not can_decide(actor, competition):
        raise ValidationError(
            _("The results can be published once the chair has closed scoring."),
            code="forbidden",
        )
    offers = list(
        competition.offers.exclude(status=Offer.Status.WITHDRAWN).select_related("organisation")
    )
    by_pk = {offer.pk: offer for offer in offers}
    errors = {}
    total = Decimal(0)
    for pk, amount in amounts.items():
        offer = by_pk.get(pk)
        if offer is None:
            errors["__all__"] = _("The form holds an offer of another competition.")
            continue
        if not amount:
            continue
        if amount < 0:
            errors[f"amount_{pk}"] = _("An amount cannot be negative.")
        elif offer.formal_status != Offer.Formal.PASSED:
            errors[f"amount_{pk}"] = _("Only an offer that passed the formal check can be funded.")
        elif amount > offer.grant_requested:
            errors[f"amount_{pk}"] = _("At most the grant requested: %(amount)s PLN.") % {
                "amount": offer.grant_requested
            }
        total += amount
    if total > competition.budget:
        errors["__all__"] = _(
            "The amounts add up to %(total)s PLN, more than the budget of %(budget)s PLN."
        ) % {"total": total, "budget": competition.budget}
    if errors:
        raise ValidationError(errors)
    for offer in offers:
        amount = amounts.get(offer.pk) or Decimal(0)
        offer.awarded_amount = amount if amount else None
        offer.status = Offer.Status.FUNDED if amount else Offer.Status.UNFUNDED
        offer.save(update_fields=["awarded_amount", "status"])
    competition.status = Competition.Status.DECIDED
    competition.decided_at = now
    competition.decided_by = actor
    competition.save(update_fields=["status", "decided_at", "decided_by"])
    audit.record(
        actor=actor,
        action="grants.competition_decide",
        target=competition,
        after={str(offer.pk): str(offer.awarded_amount or 0) for offer in offers},
    )
    _notify_applicants(competition, offers)
    opendata_changes.data_changed("grants")
    return competition


# --- the same card after funding ---------------------------------------------------------------


@transaction.atomic
def card_submit(*, offer, actor, achievements: dict, now=None) -> Offer:
    """The funded PES's card after the task: {outcome id: (achieved quantity, evidence)} for
    every outcome of its offer. It may be corrected until an official verifies it."""
    from .permissions import can_fill_card

    now = now or timezone.now()
    offer = Offer.objects.select_for_update().select_related("competition").get(pk=offer.pk)
    if not can_fill_card(actor, offer):
        raise ValidationError(_("You cannot fill this card."), code="forbidden")
    rows = {row.outcome_id: row for row in offer.outcomes.all()}
    errors = {}
    for pk, row in rows.items():
        quantity, evidence = achievements.get(pk, (None, ""))
        if quantity is None:
            errors[f"achieved_{pk}"] = _("Give the quantity achieved (0 if none).")
        elif row.contribution == Contribution.DIRECT and quantity and not evidence.strip():
            errors[f"evidence_{pk}"] = _("Say how the quantity achieved can be checked.")
    if set(achievements) - set(rows):
        errors["__all__"] = _("The form holds an outcome the offer does not serve.")
    if errors:
        raise ValidationError(errors)
    after = {}
    for pk, row in rows.items():
        row.achieved_quantity, evidence = achievements[pk]
        row.evidence = evidence.strip()
        row.full_clean(exclude=["offer", "outcome"], validate_unique=False)
        row.save(update_fields=["achieved_quantity", "evidence"])
        after[str(pk)] = str(row.achieved_quantity)
    offer.card_submitted_at = now
    offer.save(update_fields=["card_submitted_at"])
    audit.record(actor=actor, action="grants.card_submit", target=offer, after=after)
    return offer


@transaction.atomic
def card_verify(*, offer, actor, now=None) -> Offer:
    from .permissions import can_verify_card

    offer = Offer.objects.select_for_update().select_related("competition").get(pk=offer.pk)
    if not can_verify_card(actor, offer):
        raise ValidationError(_("This card cannot be verified now."), code="forbidden")
    offer.card_verified_at = now or timezone.now()
    offer.card_verified_by = actor
    offer.save(update_fields=["card_verified_at", "card_verified_by"])
    audit.record(actor=actor, action="grants.card_verify", target=offer)
    return offer


def _notify_applicants(competition, offers) -> None:
    from directory.selectors import organisation_member_emails

    for offer in offers:
        notify(
            template="grants/results",
            key=f"grants/results:{competition.pk}:{offer.pk}",
            recipients=organisation_member_emails(organisation=offer.organisation_id),
            context={
                "competition": competition,
                "offer": offer,
                "funded": offer.status == Offer.Status.FUNDED,
                "url": absolute_url(competition.get_absolute_url()),
            },
        )


# The card after funding is asked for when the task has ended, and once more this many days later.
CARD_OVERDUE_AFTER_DAYS = 30


def card_reminders_send(*, today=None) -> int:
    """E-mail the funded PES whose task has ended and whose card has not come back: once when
    the task ends, once more when the card is overdue (each reminder once per offer, however
    often the beat task runs). Returns the number of reminders queued."""
    from datetime import timedelta

    from directory.selectors import organisation_member_emails

    from .selectors import cards_awaited

    today = today or timezone.localdate()
    overdue_from = today - timedelta(days=CARD_OVERDUE_AFTER_DAYS)
    sent = 0
    for offer in cards_awaited(ended_before=today):
        which = "overdue" if offer.competition.task_ends_on < overdue_from else "due"
        notify(
            template=f"grants/card_{which}",
            key=f"grants/card_{which}:{offer.pk}",
            recipients=organisation_member_emails(organisation=offer.organisation_id),
            context={
                "offer": offer,
                "competition": offer.competition,
                "ended": offer.competition.task_ends_on,
                "url": absolute_url(reverse("grants:offer-card", args=[offer.pk])),
            },
        )
        sent += 1
    return sent


# --- the analysis as a PDF (pestor.jobs) -------------------------------------------------------


@transaction.atomic
def analysis_pdf_order(*, actor, competition=None, area=None) -> AnalysisPdf:
    """Queue the PDF of the competition's or the area's analysis, or build it again; it is
    built in the background (in-process without a broker). Refused while it is being built."""
    subject = {"competition": competition} if competition is not None else {"area": area}
    job, created = AnalysisPdf.objects.select_for_update().get_or_create(
        **subject, defaults={"requested_by": actor}
    )
    if created:
        jobs.job_enqueue(job)
    else:
        try:
            jobs.job_retry(job)
        except jobs.JobAlive:
            raise ValidationError(_("The PDF is being prepared already."), code="active") from None
        AnalysisPdf.objects.filter(pk=job.pk).update(requested_by=actor)
    audit.record(actor=actor, action="grants.analysis_pdf_order", target=competition or area)
    return job


def analysis_pdf_build(*, job_id: int, task_id: str = "") -> AnalysisPdf | None:
    """Build the PDF. Safe to run twice: a finished or stale job is left alone; a failure
    fails the job with its reason (the official orders it again)."""
    from . import pdf

    job = jobs.job_claim(
        AnalysisPdf,
        pk=job_id,
        task_id=task_id,
        queryset=AnalysisPdf.objects.select_related(
            "competition__municipality", "area__strategy__municipality"
        ),
    )
    if job is None:
        return None
    task_id = job.task_id
    try:
        content = pdf.analysis_pdf(job)
        jobs.job_heartbeat(AnalysisPdf, pk=job.pk, progress=80)
        name = private_storage().save(analysis_pdf_path(job, "analysis.pdf"), ContentFile(content))
    except Exception as error:
        logger.exception("Analysis PDF %s failed", job_id)
        jobs.recover_from_interruption(error)
        return jobs.job_fail(
            AnalysisPdf, pk=job_id, reason=jobs.failure_reason(error), task_id=task_id
        )
    with transaction.atomic():
        job = AnalysisPdf.objects.select_for_update().get(pk=job_id)
        if job.status not in jobs.ACTIVE or job.task_id != task_id:
            private_storage().delete(name)  # queued again meanwhile: its own run writes
            return job
        previous = job.file.name
        job.status = AnalysisPdf.Status.DONE
        job.progress = 100
        job.file.name = name
        job.finished_at = timezone.now()
        job.error = ""
        job.save()
    if previous:
        private_storage().delete(previous)
    return job
