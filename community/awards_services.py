"""Changes to the award and the contests: one transaction each, the rules checked again here
whatever the form said, each written to the event log (``pestor.audit``).

Nominations are taken, changed and withdrawn only before the deadline by the server's clock,
read once the call's row is locked (as grants' offers): a save racing the deadline cannot slip
past it. A vote is counted under the same lock, and the database holds one vote per account and
contest whatever happens at once.
"""

import os

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.models import Organisation
from pestor import audit
from pestor.notifications import absolute_url, notify
from pestor.validators import validate_pdf

from .awards_models import AwardCall, Nomination, SupportLetter, Vote

CALL_FIELDS = [
    "kind",
    "year",
    "category",
    "description",
    "nominations_until",
    "laureate_places",
    "public_vote",
    "votes_until",
]
NOMINATION_FIELDS = ["on_behalf_of", "person_name", "justification"]
LETTER_MAX_BYTES = 10 * 1024 * 1024
MAX_LETTERS = 5


def _locked(call: AwardCall) -> AwardCall:
    return AwardCall.objects.select_for_update().get(pk=call.pk)


def _deadline_error() -> ValidationError:
    return ValidationError(
        _("Nominations closed at the deadline; nothing was saved."), code="deadline_passed"
    )


# --- calls -------------------------------------------------------------------------------------


def _apply_call(call: AwardCall, fields: dict) -> None:
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"Not editable on a call: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(call, name, value)
    call.category = (call.category or "").strip()
    if not call.public_vote:
        call.votes_until = None


@transaction.atomic
def call_create(*, actor, municipality, **fields) -> AwardCall:
    call = AwardCall(municipality=municipality, created_by=actor)
    _apply_call(call, fields)
    call.full_clean()
    call.save()
    audit.record(
        actor=actor,
        action="community.award_call_create",
        target=call,
        after=audit.snapshot(call, CALL_FIELDS),
    )
    return call


@transaction.atomic
def call_update(*, call: AwardCall, actor, **fields) -> AwardCall:
    call = _locked(call)
    if call.results_published:
        raise ValidationError(
            _("The results are published: the call cannot change."), code="published"
        )
    before = audit.snapshot(call, CALL_FIELDS)
    if "kind" in fields and fields["kind"] != call.kind and call.nominations.exists():
        raise ValidationError({"kind": _("The call has nominations: its kind cannot change.")})
    _apply_call(call, fields)
    call.full_clean()
    call.save()
    audit.record(
        actor=actor,
        action="community.award_call_update",
        target=call,
        before=before,
        after=audit.snapshot(call, CALL_FIELDS),
    )
    return call


# --- nominations -------------------------------------------------------------------------------


def _check_letters(letters, already: int = 0) -> None:
    if already + len(letters) > MAX_LETTERS:
        raise ValidationError(
            {"letters": _("Attach at most %(count)d letters.") % {"count": MAX_LETTERS}}
        )
    for letter in letters:
        try:
            validate_pdf(
                letter,
                max_bytes=LETTER_MAX_BYTES,
                message=_("%(name)s is not a PDF file (its content decides, not its name).")
                % {"name": os.path.basename(letter.name or "")},
            )
        except ValidationError as error:
            raise ValidationError({"letters": error.messages}) from error


def _save_letters(nomination: Nomination, letters) -> None:
    for letter in letters:
        stored = SupportLetter(
            nomination=nomination, name=os.path.basename(letter.name or "list.pdf")[:200]
        )
        stored.file.save("letter.pdf", letter, save=False)
        stored.save()


def _check_nominee(call: AwardCall, *, organisation, person_name: str, offer) -> Organisation:
    """The organisation the nomination is about (None for a person), once it is checked."""
    from exchange import selectors as exchange_selectors

    if call.is_contest:
        if offer is None or organisation is not None or person_name:
            raise ValidationError({"offer": _("Choose an offer of the exchange.")})
        public = exchange_selectors.offer_cards([offer.pk]).exists()
        if not public:
            raise ValidationError(
                {"offer": _("Only an active offer of a verified organisation can be nominated.")}
            )
        return offer.organisation
    if offer is not None:
        raise ValidationError({"offer": _("The award nominates organisations and people.")})
    if (organisation is None) == (not person_name):
        raise ValidationError(
            {"organisation": _("Nominate either an organisation of the directory or a person.")}
        )
    if organisation is not None and organisation.status != Organisation.Status.VERIFIED:
        raise ValidationError(
            {"organisation": _("Only a verified organisation of the directory can be nominated.")}
        )
    return organisation


@transaction.atomic
def nomination_create(
    *,
    call: AwardCall,
    actor,
    justification: str,
    organisation=None,
    person_name: str = "",
    offer=None,
    on_behalf_of: str = "",
    letters=(),
    now=None,
) -> Nomination:
    call = _locked(call)
    now = now or timezone.now()  # read once the lock is held: a wait may cross the deadline
    if not call.accepts_nominations(now):
        raise _deadline_error()
    person_name = (person_name or "").strip()
    organisation = _check_nominee(
        call, organisation=organisation, person_name=person_name, offer=offer
    )
    duplicate = Nomination.objects.filter(call=call, nominator=actor)
    if offer is not None and duplicate.filter(offer=offer).exists():
        raise ValidationError({"offer": _("You have already nominated this offer.")})
    if offer is None and organisation and duplicate.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("You have already nominated this organisation.")})
    letters = list(letters)
    _check_letters(letters)
    nomination = Nomination(
        call=call,
        nominator=actor,
        organisation=organisation,
        person_name="" if organisation else person_name,
        offer=offer,
        justification=justification.strip(),
        on_behalf_of=on_behalf_of.strip(),
        created_at=now,
        updated_at=now,
    )
    nomination.full_clean(validate_unique=False, validate_constraints=False)
    nomination.save()
    _save_letters(nomination, letters)
    audit.record(
        actor=actor,
        action="community.nomination_create",
        target=nomination,
        after={**audit.snapshot(nomination, NOMINATION_FIELDS), "nominee": nomination.nominee},
    )
    return nomination


def _lock_own(nomination: Nomination, actor, now):
    """The call and the nomination locked, the clock read after the lock; the actor must be the
    nominator and the deadline not passed."""
    call = _locked(nomination.call)
    now = now or timezone.now()
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    nomination.call = call
    if nomination.nominator_id != actor.pk:
        raise ValidationError(_("Only the nominator changes a nomination."), code="forbidden")
    if not call.accepts_nominations(now):
        raise _deadline_error()
    return nomination, now


@transaction.atomic
def nomination_update(
    *,
    nomination: Nomination,
    actor,
    justification: str,
    on_behalf_of: str = "",
    person_name: str | None = None,
    letters=(),
    remove_letters=(),
    now=None,
) -> Nomination:
    nomination, now = _lock_own(nomination, actor, now)
    before = audit.snapshot(nomination, NOMINATION_FIELDS)
    letters = list(letters)
    removed = list(nomination.letters.filter(pk__in=list(remove_letters)))
    _check_letters(letters, already=nomination.letters.count() - len(removed))
    nomination.justification = justification.strip()
    nomination.on_behalf_of = on_behalf_of.strip()
    if person_name is not None and nomination.organisation_id is None:
        nomination.person_name = person_name.strip()
    nomination.updated_at = now
    nomination.full_clean(validate_unique=False, validate_constraints=False)
    nomination.save()
    for letter in removed:
        letter.file.delete(save=False)
        letter.delete()
    _save_letters(nomination, letters)
    after = audit.snapshot(nomination, NOMINATION_FIELDS)
    after["letters_added"] = [letter.name for letter in letters]
    after["letters_removed"] = [letter.name for letter in removed]
    audit.record(
        actor=actor,
        action="community.nomination_update",
        target=nomination,
        before=before,
        after=after,
    )
    return nomination


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, actor, now=None) -> None:
    nomination, now = _lock_own(nomination, actor, now)
    call = nomination.call
    audit.record(
        actor=actor,
        action="community.nomination_withdraw",
        target=call,
        before={"nominee": nomination.nominee, "justification": nomination.justification},
    )
    for letter in nomination.letters.all():
        letter.file.delete(save=False)
    Vote.objects.filter(nomination=nomination).delete()
    nomination.delete()


# --- the jury and the results -----------------------------------------------------------------


@transaction.atomic
def jury_create(*, call: AwardCall, actor, criteria: list[dict]):
    """The call's scoring panel with ``criteria``; its members are added on scoring's pages
    (officials and PES representatives, ``awards_permissions.jury_refusal``)."""
    from scoring import selectors as scoring_selectors
    from scoring import services as scoring_services

    call = _locked(call)
    if scoring_selectors.panel_for_owner(owner=call) is not None:
        raise ValidationError(_("The jury is already set up."), code="exists")
    if call.results_published:
        raise ValidationError(_("The results are published."), code="published")
    return scoring_services.panel_create(
        owner=call,
        title=_("Jury: %(call)s") % {"call": call},
        criteria=criteria,
        actor=actor,
    )


@transaction.atomic
def results_publish(*, call: AwardCall, actor, now=None) -> AwardCall:
    """The jury's ranking becomes the result: the best ``laureate_places`` ranks (ties share a
    place) are the laureates. Needs the jury's scoring closed. Every nominator is e-mailed."""
    from scoring import selectors as scoring_selectors

    call = _locked(call)
    now = now or timezone.now()
    if call.results_published:
        raise ValidationError(_("The results are already published."), code="published")
    if now < call.nominations_until:
        raise ValidationError(
            _("Nominations are still open: publish the results after the deadline."),
            code="open",
        )
    panel = scoring_selectors.panel_for_owner(owner=call)
    if panel is None or panel.is_open:
        raise ValidationError(
            _("The jury's scoring must be closed before the results are published."),
            code="jury_open",
        )
    results = scoring_selectors.panel_results(panel=panel)
    changed = []
    laureates = []
    for result in results.items:
        nomination = result.item
        nomination.jury_total = result.total if result.scorers else None
        nomination.place = (
            result.rank if result.rank is not None and result.rank <= call.laureate_places else None
        )
        changed.append(nomination)
        if nomination.place is not None:
            laureates.append(nomination)
    Nomination.objects.bulk_update(changed, ["jury_total", "place"])
    call.results_published_at = now
    call.results_published_by = actor
    call.save(update_fields=["results_published_at", "results_published_by"])
    audit.record(
        actor=actor,
        action="community.award_results_publish",
        target=call,
        after={
            "laureates": [
                {"place": n.place, "nominee": n.nominee, "total": str(n.jury_total)}
                for n in laureates
            ]
        },
    )
    _notify_nominators(call, changed, laureates)
    return call


def _notify_nominators(call: AwardCall, nominations, laureates) -> None:
    url = absolute_url(call.get_absolute_url())
    laureate_names = [f"{n.place}. {n.nominee}" for n in laureates]
    nominators = {
        n.pk: n.nominator
        for n in Nomination.objects.filter(pk__in=[n.pk for n in nominations]).select_related(
            "nominator"
        )
    }
    for nomination in nominations:
        notify(
            template="community/award_result",
            key=f"community/award_result:{nomination.pk}",
            recipients=[nominators[nomination.pk].email],
            context={
                "call": str(call),
                "nominee": nomination.nominee,
                "place": nomination.place,
                "laureates": laureate_names,
                "url": url,
            },
        )


# --- the public vote ---------------------------------------------------------------------------


def _has_verified_address(user) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def _second_vote() -> ValidationError:
    return ValidationError(
        _("You have already voted in this contest: one vote per account."), code="second_vote"
    )


@transaction.atomic
def vote_cast(*, call: AwardCall, nomination: Nomination, actor, now=None) -> Vote:
    call = _locked(call)
    now = now or timezone.now()
    if not call.voting_open(now):
        raise ValidationError(_("The public vote is closed."), code="closed")
    if nomination.call_id != call.pk:
        raise ValidationError(_("This is not a nomination of the contest."), code="foreign")
    if not _has_verified_address(actor):
        raise ValidationError(
            _("Confirm your e-mail address first: only verified accounts vote."),
            code="unverified",
        )
    if Vote.objects.filter(call=call, voter=actor).exists():
        raise _second_vote()
    try:
        with transaction.atomic():
            vote = Vote.objects.create(call=call, nomination=nomination, voter=actor, voted_at=now)
    except IntegrityError as error:  # the same account voting twice at once
        raise _second_vote() from error
    Nomination.objects.filter(pk=nomination.pk).update(votes=F("votes") + 1)
    audit.record(
        actor=actor,
        action="community.vote_cast",
        target=nomination,
        after={"call": str(call)},
    )
    return vote
