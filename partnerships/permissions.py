"""Who may do what with partnerships. Pure functions; views and templates ask through
``pestor.permissions`` (``require("partnerships.manage", user, partnership)``).

The coordinator's people manage a partnership (its members when an organisation coordinates,
its officials when a municipality does); a member's people answer the coordinator's invitation
or ask to join (an organisation's members, a municipality's officials, the officials of a
department's municipality, a company's business buyers); the members' people see the meetings;
everyone sees the partnership's page and its published meetings.
"""

from directory.permissions import membership_roles, verified_organisation_ids
from pestor import roles
from pestor.permissions import rule

from .models import Meeting, Partnership, PartnershipMember


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def acting_for(user) -> dict[str, frozenset[int]]:
    """What the user may act for in a partnership: {member kind: ids}."""
    if not _signed_in(user):
        return {kind: frozenset() for kind in PartnershipMember.Kind.values}
    officials = roles.official_municipality_ids(user)
    return {
        PartnershipMember.Kind.ORGANISATION: frozenset(verified_organisation_ids(user)),
        PartnershipMember.Kind.MUNICIPALITY: officials,
        PartnershipMember.Kind.COMPANY: roles.buyer_company_ids(user),
        # A department acts through the officials of its municipality.
        PartnershipMember.Kind.DEPARTMENT: officials,
    }


def acts_for_member(user, member: PartnershipMember) -> bool:
    if not _signed_in(user):
        return False
    ids = acting_for(user)[member.kind]
    if member.kind == PartnershipMember.Kind.DEPARTMENT:
        return member.department.municipality_id in ids
    ref = {
        PartnershipMember.Kind.ORGANISATION: member.organisation_id,
        PartnershipMember.Kind.MUNICIPALITY: member.municipality_id,
        PartnershipMember.Kind.COMPANY: member.company_id,
    }[member.kind]
    return ref in ids


def is_coordinator(user, partnership: Partnership) -> bool:
    if not _signed_in(user):
        return False
    if roles.is_administrator(user):
        return True
    if partnership.coordinator_organisation_id:
        return partnership.coordinator_organisation_id in membership_roles(user)
    return roles.is_official(user, partnership.coordinator_municipality_id)


@rule("partnerships.create")
def can_create(user, obj=None):
    """People of a verified organisation and officials start partnerships."""
    return roles.is_administrator(user) or bool(
        _signed_in(user) and (verified_organisation_ids(user) or roles.is_official(user))
    )


@rule("partnerships.manage")
def can_manage(user, partnership: Partnership):
    return is_coordinator(user, partnership)


@rule("partnerships.request_membership")
def can_request_membership(user, partnership: Partnership):
    """Anyone who acts for an organisation, a municipality or a company may ask to join."""
    if not _signed_in(user):
        return False
    held = acting_for(user)
    return any(
        held[kind]
        for kind in (
            PartnershipMember.Kind.ORGANISATION,
            PartnershipMember.Kind.MUNICIPALITY,
            PartnershipMember.Kind.COMPANY,
        )
    )


@rule("partnerships.answer_invitation")
def can_answer_invitation(user, member: PartnershipMember):
    return member.status == PartnershipMember.Status.INVITED and acts_for_member(user, member)


@rule("partnerships.decide_request")
def can_decide_request(user, member: PartnershipMember):
    return member.status == PartnershipMember.Status.REQUESTED and is_coordinator(
        user, member.partnership
    )


@rule("partnerships.end_membership")
def can_end_membership(user, member: PartnershipMember):
    """The coordinator records a member's leaving; the member's people leave themselves."""
    return member.status == PartnershipMember.Status.ACTIVE and (
        is_coordinator(user, member.partnership) or acts_for_member(user, member)
    )


@rule("partnerships.see_meetings")
def can_see_meetings(user, partnership: Partnership):
    """The coordinator and the people of its active members see every meeting."""
    if is_coordinator(user, partnership):
        return True
    if not _signed_in(user):
        return False
    members = partnership.members.active().select_related("department")
    return any(acts_for_member(user, member) for member in members)


def member_organisations_of(user, partnership: Partnership) -> list[int]:
    """The active PES members of ``partnership`` the user acts for."""
    ids = acting_for(user)[PartnershipMember.Kind.ORGANISATION]
    return [
        member.organisation_id
        for member in partnership.members.active()
        if member.kind == PartnershipMember.Kind.ORGANISATION and member.organisation_id in ids
    ]


@rule("partnerships.answer_as_consortium")
def can_answer_as_consortium(user, partnership: Partnership):
    """The people of an active PES member answer a notice with the other PES members as their
    consortium partners."""
    return _signed_in(user) and bool(member_organisations_of(user, partnership))


@rule("partnerships.see_meeting")
def can_see_meeting(user, meeting: Meeting):
    return meeting.is_published or can_see_meetings(user, meeting.partnership)


@rule("partnerships.edit_meeting")
def can_edit_meeting(user, meeting: Meeting):
    return is_coordinator(user, meeting.partnership)


# --- the financial instrument ------------------------------------------------------------------


def lender_ids(user) -> frozenset[int]:
    """The lenders whose staff the user is on, read once per request."""
    if not _signed_in(user):
        return frozenset()
    if "_finance_lenders" not in user.__dict__:
        from .models import LenderStaff

        user.__dict__["_finance_lenders"] = frozenset(
            LenderStaff.objects.filter(user=user).values_list("lender_id", flat=True)
        )
    return user.__dict__["_finance_lenders"]


@rule("finance.manage_products")
def can_manage_products(user, lender=None):
    """A lender's staff keep its products (any lender's, when None: the link)."""
    if lender is None:
        return bool(lender_ids(user))
    return lender.pk in lender_ids(user)


@rule("finance.edit_product")
def can_edit_product(user, product):
    return product.lender_id in lender_ids(user)


@rule("finance.request")
def can_request(user, obj=None):
    """People of a verified PES check their eligibility and ask for a product."""
    return bool(_signed_in(user) and verified_organisation_ids(user))


def _is_pes_of(user, loan_request) -> bool:
    return _signed_in(user) and loan_request.organisation_id in membership_roles(user)


def _is_lender_of(user, loan_request) -> bool:
    return loan_request.product.lender_id in lender_ids(user)


@rule("finance.see_request")
def can_see_request(user, loan_request):
    """The PES that asked and the lender: nobody else, administrators included (the portal's
    admin is the place for an operator)."""
    return _is_pes_of(user, loan_request) or _is_lender_of(user, loan_request)


@rule("finance.decide")
def can_decide(user, loan_request):
    return loan_request.status == "submitted" and _is_lender_of(user, loan_request)


@rule("finance.record_loan")
def can_record_loan(user, loan_request):
    return loan_request.status == "accepted" and _is_lender_of(user, loan_request)


@rule("finance.record_repayment")
def can_record_repayment(user, loan_request):
    return loan_request.status == "granted" and _is_lender_of(user, loan_request)


@rule("finance.withdraw")
def can_withdraw(user, loan_request):
    return loan_request.status in ("submitted", "accepted") and _is_pes_of(user, loan_request)


@rule("finance.report_venture")
def can_report_venture(user, loan_request):
    return loan_request.status == "granted" and (
        _is_pes_of(user, loan_request) or _is_lender_of(user, loan_request)
    )
