"""Reads of the demand register. Other apps (monitoring) read notices only here."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import (
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, ExtractYear, Now
from django.shortcuts import get_object_or_404
from django.utils import timezone

from directory.models import Organisation
from exchange.models import CpvCode
from pestor.models import Company, Department, Municipality
from pestor.periods import local_day_bounds
from pestor.related_rows import JSONRows, instances

from .filters import AnswerFilterSet, BuyerNoticeFilterSet, NoticeFilterSet, ResultFilterSet
from .models import (
    Answer,
    ConsortiumPartner,
    DemandNotice,
    NoticeAttachment,
    NoticeMatch,
    NoticeQuestion,
)
from .permissions import is_buyer_side, organisation_ids

# What the public lists show of a notice (its card, a row of results, a line of their exports):
# nothing else is read, not its description and folded search text, its contact details or the
# columns of the municipality, the buyer and the social-clause check that no card names.
NOTICE_CARD_FIELDS = (
    "title",
    "status",
    "answers_deadline",
    "estimated_value",
    "estimated_value_public",
    "quantity",
    "unit",
    "delivery_place",
    "published_at",
    "award_date",
    "awarded_value",
    "municipality__name",
    "department__name",
    "department__municipality__name",
    "company__name",
    "clause_check__reserved_for_pes",
    "clause_check__employment_requirement",
    "clause_check__is_social_service",
)


def _with_card_data(queryset: QuerySet) -> QuerySet:
    return (
        queryset.select_related(
            "municipality", "department__municipality", "company", "clause_check"
        )
        .only(*NOTICE_CARD_FIELDS)
        .prefetch_related("cpv_codes")
    )


def _named_organisation(queryset: QuerySet, *fields: str) -> QuerySet:
    """Rows with the organisation they name: its name and address only, not its description
    and search text (kilobytes per organisation)."""
    return queryset.select_related("organisation").only(
        *fields, "organisation__name", "organisation__slug"
    )


def _partners():
    return Prefetch(
        "partners",
        queryset=ConsortiumPartner.objects.select_related("organisation").order_by("pk"),
    )


def _awarded_answers():
    return Prefetch(
        "answers",
        queryset=_named_organisation(
            Answer.objects.filter(is_awarded=True), "notice", "organisation", "is_awarded"
        )
        .prefetch_related(
            Prefetch(
                "partners",
                queryset=_named_organisation(
                    ConsortiumPartner.objects.filter(confirmed_at__isnull=False),
                    "answer",
                    "organisation",
                    "confirmed_at",
                ).order_by("pk"),
                to_attr="confirmed_partners",
            )
        )
        .order_by("organisation__name"),
        to_attr="awarded_answers",
    )


def _member_organisations(user) -> list[int]:
    """The ids of the user's organisations, read once per request (the permission checks of
    the same page read them too) and passed to the lists' queries as values."""
    return sorted(organisation_ids(user))


# --- public lists ------------------------------------------------------------------------------


def notice_list(*, filters: dict | None = None) -> NoticeFilterSet:
    """Open notices (published, deadline not passed), soonest deadline first. Returns the
    bound FilterSet (``.qs`` is the result, ``.form`` the filter form with any errors)."""
    # "Now" is the database's clock, written into the SQL as such rather than as this moment's
    # value: the same search or filter is then the same query a minute later, and its count is
    # taken from the cache (pestor.pagination) instead of being counted on every request.
    queryset = _with_card_data(DemandNotice.objects.open_for_answers(now=Now())).order_by(
        "answers_deadline", "pk"
    )
    return NoticeFilterSet(data=filters or None, queryset=queryset)


def notice_cards(*, keys: list, awarded: bool = False) -> QuerySet:
    """The notices of one page of a public list, by their keys, with what their cards show
    (with ``awarded``, the winners of a results page). Read apart from the list's own query
    (pestor.pagination): PostgreSQL plans a query of the keys alone in a fraction of a
    millisecond, and the list's filters with the cards' five joins in 2 ms, 5-9 ms with the CPV
    filter's subquery; planning took longer than running them."""
    queryset = _with_card_data(DemandNotice.objects.filter(pk__in=keys))
    return queryset.prefetch_related(_awarded_answers()) if awarded else queryset


def result_list(*, filters: dict | None = None) -> ResultFilterSet:
    """Awarded notices with their value and the PES that won them, latest award first."""
    queryset = (
        _with_card_data(DemandNotice.objects.filter(status=DemandNotice.Status.AWARDED))
        .prefetch_related(_awarded_answers())
        .order_by("-award_date", "-pk")
    )
    return ResultFilterSet(data=filters or None, queryset=queryset)


# --- one notice --------------------------------------------------------------------------------


def notice_get_for_user(*, user, pk: int) -> DemandNotice:
    """One notice the user may see; a missing and a hidden one (a draft of someone else)
    are the same 404."""
    queryset = (
        DemandNotice.objects.visible_to(user)
        .select_related(
            "municipality", "department__municipality", "company", "clause_check", "posted_by"
        )
        .prefetch_related("cpv_codes", "attachments", _awarded_answers())
    )
    return get_object_or_404(queryset, pk=pk)


# What the notice's page shows of its CPV codes and documents, read with the notice's row
# (pestor.related_rows) instead of a query each.
NOTICE_CPV_FIELDS = ("code", "check_digit", "name_pl", "name_en", "level")
NOTICE_ATTACHMENT_FIELDS = ("id", "notice_id", "title")


def notice_detail_get_for_user(*, user, pk: int) -> DemandNotice:
    """The notice of its page: ``notice_get_for_user`` with its CPV codes (``cpv_list``) and
    documents (``attachment_list``) read in the notice's own query; the awarded answers are
    the page's to read (``notice_awarded_answers``), from the answers the buyer side loads
    anyway."""
    queryset = (
        DemandNotice.objects.visible_to(user)
        .select_related(
            "municipality", "department__municipality", "company", "clause_check", "posted_by"
        )
        .annotate(
            cpv_rows=JSONRows(
                CpvCode.objects.filter(demand_notices=OuterRef("pk")).order_by("code"),
                NOTICE_CPV_FIELDS,
            ),
            attachment_rows=JSONRows(
                NoticeAttachment.objects.filter(notice=OuterRef("pk")).order_by("pk"),
                NOTICE_ATTACHMENT_FIELDS,
            ),
        )
    )
    notice = get_object_or_404(queryset, pk=pk)
    notice.cpv_list = instances(CpvCode, notice.cpv_rows, using=notice._state.db)
    notice.attachment_list = instances(
        NoticeAttachment, notice.attachment_rows, using=notice._state.db
    )
    return notice


def notice_awarded_answers(*, notice: DemandNotice, answers: list | None = None) -> list:
    """The awarded answers with their confirmed partners (``confirmed_partners``), by the
    winner's name: taken from ``answers`` where the page already holds every answer of the
    notice with its partners (the buyer side's), read otherwise (nothing before the award)."""
    if notice.status != DemandNotice.Status.AWARDED:
        return []
    if answers is None:
        prefetch_related_objects([notice], _awarded_answers())
        return notice.awarded_answers
    awarded = sorted(
        (answer for answer in answers if answer.is_awarded),
        key=lambda answer: answer.organisation.name,
    )
    for answer in awarded:
        answer.confirmed_partners = [
            partner for partner in answer.partners.all() if partner.confirmed_at is not None
        ]
    return awarded


def notice_answers(*, notice: DemandNotice, user) -> QuerySet:
    """The answers to the notice the user may see: all of them for the buyer side, its own
    (and the consortium answers it is a partner of) for a PES, none for anybody else."""
    if not is_buyer_side(user, notice) and not _member_organisations(user):
        return Answer.objects.none()
    return (
        Answer.objects.visible_to(user)
        .filter(notice=notice)
        .select_related("organisation", "submitted_by")
        .prefetch_related(_partners())
        .order_by("created_at", "pk")
    )


def notice_matches(*, notice: DemandNotice) -> QuerySet:
    """The PES matched to the notice when it was published (for its buyer side)."""
    return (
        NoticeMatch.objects.filter(notice=notice)
        .select_related("organisation", "organisation__seat_municipality")
        .order_by("organisation__name", "pk")
    )


def notice_attachment_get_for_user(*, user, pk: int) -> NoticeAttachment:
    return get_object_or_404(
        NoticeAttachment.objects.filter(
            notice__in=DemandNotice.objects.visible_to(user).values("pk")
        ),
        pk=pk,
    )


def answer_get_for_user(*, user, pk: int) -> Answer:
    """One answer the user may see; a missing and a forbidden one are the same 404."""
    return get_object_or_404(
        Answer.objects.visible_to(user)
        .select_related(
            "notice",
            "notice__municipality",
            "notice__department__municipality",
            "notice__company",
            "organisation",
        )
        .prefetch_related(_partners()),
        pk=pk,
    )


def partner_get_for_user(*, user, pk: int) -> ConsortiumPartner:
    """A consortium invitation addressed to one of the user's organisations."""
    return get_object_or_404(
        ConsortiumPartner.objects.filter(organisation_id__in=_member_organisations(user))
        .select_related(
            "organisation",
            "answer",
            "answer__organisation",
            "answer__notice",
            "answer__notice__municipality",
            "answer__notice__department__municipality",
            "answer__notice__company",
            "answer__notice__clause_check",
        )
        .prefetch_related(Prefetch("answer__partners", queryset=_partners().queryset)),
        pk=pk,
    )


def notice_questions(*, notice: DemandNotice, user, buyer_side: bool) -> list:
    """The questions the user may read: all for the buyer side; the answered ones for everyone
    else, plus the unanswered ones of the user's own organisations. ``asker_shown`` says
    whether the page may name who asked (the buyer side and the asking PES only)."""
    queryset = NoticeQuestion.objects.filter(notice=notice).select_related("organisation", "notice")
    mine = set(_member_organisations(user)) if user.is_authenticated else set()
    if not buyer_side:
        queryset = queryset.filter(Q(answered_at__isnull=False) | Q(organisation_id__in=mine))
    questions = list(queryset.order_by("asked_at", "pk"))
    for question in questions:
        question.asker_shown = buyer_side or question.organisation_id in mine
    return questions


def question_get_for_user(*, user, pk: int) -> NoticeQuestion:
    """A question about one of the user's buyer side's notices."""
    return get_object_or_404(
        NoticeQuestion.objects.filter(
            notice__in=DemandNotice.objects.of_buyer(user).values("pk")
        ).select_related("notice", "organisation", "notice__municipality"),
        pk=pk,
    )


def notice_history(*, notice: DemandNotice) -> QuerySet:
    from pestor.models import AuditEvent

    return AuditEvent.objects.for_object(notice)


# --- the buyer's and the PES's own pages -------------------------------------------------------


def buyer_notice_list(*, user, filters: dict | None = None) -> BuyerNoticeFilterSet:
    """ "My notices": every notice of the user's buyer side, newest first (their answers are
    counted for the page shown, ``with_answer_counts``)."""
    queryset = (
        DemandNotice.objects.of_buyer(user)
        .select_related("department__municipality", "company")
        .only(*MY_NOTICE_FIELDS)
        # Counted for the rows of the page only (PostgreSQL computes it after the sort and
        # limit; pestor.pagination leaves it out of the list's count and the ids of a deep
        # page), by the index of answers on their notice. A Count() joined to the list would
        # group every notice of the buyer before the page is cut.
        .annotate(
            answer_count=Coalesce(
                Subquery(
                    Answer.objects.filter(notice=OuterRef("pk"))
                    .order_by()
                    .values("notice")
                    .annotate(count=Count("pk"))
                    .values("count")
                ),
                0,
            )
        )
        .order_by("-created_at", "-pk")
    )
    return BuyerNoticeFilterSet(data=filters or None, queryset=queryset)


# What a row of "my notices" shows: title, buyer, status and deadline.
MY_NOTICE_FIELDS = ("title", "status", "answers_deadline", "department", "company")


def matched_notice_list(*, user, filters: dict | None = None) -> NoticeFilterSet:
    """ "Notices for us": open notices matched to any of the user's organisations, each
    annotated with ``answered`` (one of them has answered or is a partner)."""
    mine = _member_organisations(user)
    queryset = (
        _with_card_data(DemandNotice.objects.open_for_answers())
        .filter(Exists(NoticeMatch.objects.filter(notice=OuterRef("pk"), organisation_id__in=mine)))
        .annotate(
            answered=Exists(
                Answer.objects.filter(notice=OuterRef("pk")).filter(
                    Q(organisation_id__in=mine) | Q(partners__organisation_id__in=mine)
                )
            )
        )
        .order_by("answers_deadline", "pk")
    )
    return NoticeFilterSet(data=filters or None, queryset=queryset)


# What a row of "my answers" shows of the notice: its title, buyer and status.
MY_ANSWER_NOTICE_FIELDS = (
    "title",
    "status",
    "answers_deadline",
    "municipality",
    "department",
    "company",
)


def answer_list_of_user(*, user, filters: dict | None = None) -> AnswerFilterSet:
    """ "My answers": the answers of the user's organisations and the consortium answers they
    are partners of, latest first."""
    mine = _member_organisations(user)
    # One UNION of two index lookups (answers by organisation, partnerships by organisation),
    # not an OR of a column test and an EXISTS, which PostgreSQL can only answer by testing
    # every answer of the country.
    ours = (
        Answer.objects.filter(organisation_id__in=mine)
        .order_by()
        .values("pk")
        .union(
            ConsortiumPartner.objects.filter(organisation_id__in=mine)
            .order_by()
            .values("answer_id")
        )
    )
    queryset = (
        _named_organisation(
            Answer.objects.filter(pk__in=ours),
            "notice",
            "kind",
            "price_net",
            "is_awarded",
            "updated_at",
            *(f"notice__{field}" for field in MY_ANSWER_NOTICE_FIELDS),
        )
        .select_related(
            "notice",
            "notice__municipality",
            "notice__department__municipality",
            "notice__company",
        )
        .prefetch_related(
            Prefetch(
                "partners",
                queryset=_named_organisation(
                    ConsortiumPartner.objects.all(), "answer", "organisation"
                ).order_by("pk"),
            )
        )
        .order_by("-updated_at", "-pk")
    )
    return AnswerFilterSet(data=filters or None, queryset=queryset)


def answering_organisations_for_user(*, user, notice: DemandNotice) -> QuerySet:
    """The user's verified organisations that may still answer the notice: not answered yet,
    not a partner in another answer."""
    return (
        Organisation.objects.public()
        .filter(memberships__user=user)
        .exclude(demand_answers__notice=notice)
        .exclude(consortium_partnerships__answer__notice=notice)
        .order_by("name")
    )


def partner_candidates(*, notice: DemandNotice, answer: Answer | None = None) -> QuerySet:
    """Verified PES that may join a consortium answering the notice: those not answering it
    themselves and not partners in another answer to it."""
    other_partnerships = ConsortiumPartner.objects.filter(answer__notice=notice)
    if answer is not None:
        other_partnerships = other_partnerships.exclude(answer=answer)
    return (
        Organisation.objects.public()
        .exclude(demand_answers__notice=notice)
        .exclude(pk__in=other_partnerships.values("organisation_id"))
        .order_by("name")
    )


def departments_of_user(*, user) -> QuerySet:
    return (
        Department.objects.filter(officials__user=user)
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )


def companies_of_user(*, user) -> QuerySet:
    return Company.objects.filter(buyers__user=user).order_by("name")


def pending_partnerships(*, user, notice: DemandNotice) -> QuerySet:
    """Consortium invitations on this notice that the user's organisations have not confirmed."""
    return ConsortiumPartner.objects.filter(
        answer__notice=notice,
        organisation_id__in=_member_organisations(user),
        confirmed_at__isnull=True,
    ).select_related("organisation", "answer__organisation")


def dashboard_counts(*, user) -> dict:
    """Figures for the demand panel of "My panel"."""
    mine = _member_organisations(user)
    return {
        "matched_open": DemandNotice.objects.open_for_answers()
        .filter(Exists(NoticeMatch.objects.filter(notice=OuterRef("pk"), organisation_id__in=mine)))
        .count(),
        "pending_partnerships": ConsortiumPartner.objects.filter(
            organisation_id__in=mine,
            confirmed_at__isnull=True,
            answer__notice__status=DemandNotice.Status.PUBLISHED,
            answer__notice__answers_deadline__gt=timezone.now(),
        ).count(),
    }


# --- indicators for the monitoring app ---------------------------------------------------------

WARSAW = ZoneInfo("Europe/Warsaw")


def _municipality_id(municipality: Municipality | int) -> int:
    return municipality if isinstance(municipality, int) else municipality.pk


def _city_notices(municipality) -> QuerySet:
    """The municipality's own notices (its departments'), not companies' posted there: the
    cooperation programme measures the city's purchasing."""
    return DemandNotice.objects.filter(
        municipality_id=_municipality_id(municipality), department__isnull=False
    )


def _published_in(municipality, start: date, end: date) -> QuerySet:
    since, until = local_day_bounds(start, end)
    return _city_notices(municipality).filter(published_at__gte=since, published_at__lt=until)


def _awarded_in(municipality, start: date, end: date) -> QuerySet:
    return _city_notices(municipality).filter(
        status=DemandNotice.Status.AWARDED, award_date__gte=start, award_date__lte=end
    )


def indicator_notices_published(*, municipality, start: date, end: date) -> int:
    """Notices of the municipality's departments published between ``start`` and ``end``
    (dates inclusive, Europe/Warsaw), whatever became of them afterwards."""
    return _published_in(municipality, start, end).count()


def indicator_social_clause_share(*, municipality, start: date, end: date) -> Decimal:
    """Of the notices published in the period, the percentage (0 to 100, two decimals) whose
    social-clause check chose a clause (art. 94, art. 96 or a reserved social service of
    art. 361); Decimal("0.00") when none was published."""
    figures = _published_in(municipality, start, end).aggregate(
        total=Count("pk"),
        with_clause=Count(
            "pk",
            filter=Q(clause_check__reserved_for_pes=True)
            | Q(clause_check__employment_requirement=True)
            | Q(clause_check__is_social_service=True),
        ),
    )
    if not figures["total"]:
        return Decimal("0.00")
    share = Decimal(100) * figures["with_clause"] / figures["total"]
    return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def indicator_awards_to_pes(*, municipality, start: date, end: date) -> int:
    """Notices of the municipality's departments awarded (to PES) with an award date in the
    period (dates inclusive)."""
    return _awarded_in(municipality, start, end).count()


def indicator_awards_value(*, municipality, start: date, end: date) -> Decimal:
    """The sum of the awarded values (PLN net) of those awards; Decimal("0.00") when none."""
    total = _awarded_in(municipality, start, end).aggregate(total=Sum("awarded_value"))["total"]
    return (total or Decimal("0")).quantize(Decimal("0.01"))


def personal_data(*, user) -> dict:
    """Notices the person posted and answers they submitted (RODO art. 15, 20)."""
    return {
        "notices_posted": [
            {"title": notice.title, "status": notice.status, "description": notice.description}
            for notice in DemandNotice.objects.filter(posted_by=user)
        ],
        "answers_submitted": [
            {
                "notice": answer.notice.title,
                "organisation": answer.organisation.name,
                "kind": answer.kind,
                "price_net": str(answer.price_net) if answer.price_net is not None else None,
                "terms": answer.terms,
                "message": answer.message,
                "submitted": answer.created_at.isoformat(),
            }
            for answer in Answer.objects.filter(submitted_by=user).select_related(
                "notice", "organisation"
            )
        ],
    }


# --- open data (read by opendata/) -------------------------------------------------------------

# The statuses a notice has once the public has seen it (a draft never leaves the register).
OPEN_DATA_STATUSES = (
    DemandNotice.Status.PUBLISHED,
    DemandNotice.Status.CLOSED,
    DemandNotice.Status.AWARDED,
    DemandNotice.Status.CANCELLED,
)


def open_data_notices(*, year: int | None = None, since: datetime | None = None):
    """The municipalities' published notices for open data, in publication order, streamed in
    chunks (each chunk's CPV codes, answer counts and awarded suppliers read in a few queries):
    the buyer (department and municipality), the social-clause check, the number of answers and,
    once awarded, the awarded answers with their organisation and confirmed consortium partners.
    Companies' notices are not the city's purchases and stay out, as does everything private
    (contact persons, answers' prices and texts). ``year`` is the year of publication (local);
    ``since`` keeps the notices with anything published at or after it (publication, award,
    cancellation)."""
    queryset = DemandNotice.objects.filter(
        status__in=OPEN_DATA_STATUSES, department__isnull=False, published_at__isnull=False
    )
    if year is not None:
        start, end = local_day_bounds(date(year, 1, 1), date(year, 12, 31))
        queryset = queryset.filter(published_at__gte=start, published_at__lt=end)
    if since is not None:
        queryset = queryset.filter(
            Q(published_at__gte=since) | Q(awarded_at__gte=since) | Q(cancelled_at__gte=since)
        )
    supplier_fields = ("organisation__name", "organisation__nip", "organisation__krs")
    awarded = (
        Answer.objects.filter(is_awarded=True)
        .select_related("organisation")
        .only("notice", "organisation", *supplier_fields)
        .prefetch_related(
            Prefetch(
                "partners",
                queryset=ConsortiumPartner.objects.filter(confirmed_at__isnull=False)
                .select_related("organisation")
                .only("answer", "organisation", *supplier_fields)
                .order_by("pk"),
                to_attr="confirmed_partners",
            )
        )
    )
    return (
        queryset.select_related("municipality", "department", "clause_check")
        .defer("search_text", "contact_name", "contact_email", "contact_phone")
        .annotate(answer_count=Count("answers"))
        .prefetch_related(
            "cpv_codes", Prefetch("answers", queryset=awarded, to_attr="awarded_answers")
        )
        .order_by("published_at", "pk")
        .iterator(chunk_size=500)
    )


def open_data_years() -> list[int]:
    """The years (local) in which municipalities published notices, newest first: from the
    first and the last publication (two ends of an index), not a DISTINCT over the table."""
    bounds = DemandNotice.objects.filter(
        status__in=OPEN_DATA_STATUSES, department__isnull=False
    ).aggregate(first=Min("published_at"), last=Max("published_at"))
    if bounds["last"] is None:
        return []
    first = timezone.localtime(bounds["first"]).year
    last = timezone.localtime(bounds["last"]).year
    return list(range(last, first - 1, -1))


def ledger_awards(*, organisation=None, municipality=None) -> QuerySet:
    """Contracts awarded to PES, per year of award: ``year``, ``count``, ``value`` (the
    awarded value, counted for the answering PES, which leads a consortium). Of one
    organisation, or of the PES a municipality's departments awarded to."""
    answers = Answer.objects.filter(
        is_awarded=True,
        notice__status=DemandNotice.Status.AWARDED,
        notice__department__isnull=False,
        notice__award_date__isnull=False,
    )
    if organisation is not None:
        answers = answers.filter(organisation=organisation)
    if municipality is not None:
        answers = answers.filter(notice__municipality=municipality)
    return (
        answers.annotate(year=ExtractYear("notice__award_date"))
        .values("year")
        .annotate(count=Count("pk"), value=Coalesce(Sum("notice__awarded_value"), Decimal(0)))
        .order_by("-year")
    )


def notices_won(*, organisation) -> list[DemandNotice]:
    """The awarded notices the organisation won (its answer, alone or leading a consortium,
    was awarded), latest first: what another app may refer to (e.g. the purpose of a loan)."""
    return list(
        DemandNotice.objects.filter(
            status=DemandNotice.Status.AWARDED,
            answers__organisation=organisation,
            answers__is_awarded=True,
        )
        .distinct()
        .order_by("-award_date", "-pk")[:50]
    )
