"""Who may do what in the directory. Pure functions; views and templates ask through
``pestor.permissions`` (``require("directory.edit_organisation", user, organisation)``)."""

from django.db.models import F
from django.utils.translation import gettext as _

from pestor import roles
from pestor.permissions import rule
from pestor.roles import holding_rows

from .models import COOPERATIVE_FORMS, LegalDataChange, Organisation, OrganisationMembership

# The user's organisations, loaded with their other roles in pestor.roles' one query
# (registered in DirectoryConfig.ready): {organisation id: membership role} and
# {organisation id: organisation status}.
MEMBERSHIP_ROLES = "organisation_roles"
MEMBERSHIP_STATUSES = "organisation_statuses"


def membership_holdings(user):
    memberships = OrganisationMembership.objects.filter(user=user)
    return holding_rows(memberships, MEMBERSHIP_ROLES, "organisation_id", F("role"))


def membership_status_holdings(user):
    memberships = OrganisationMembership.objects.filter(user=user)
    return holding_rows(
        memberships, MEMBERSHIP_STATUSES, "organisation_id", F("organisation__status")
    )


def membership_roles(user) -> dict[int, str]:
    """{organisation id: the user's role in it} for every organisation the user works for."""
    return roles.held_notes(user, MEMBERSHIP_ROLES)


def membership_statuses(user) -> dict[int, str]:
    """{organisation id: its status} for every organisation the user works for."""
    return roles.held_notes(user, MEMBERSHIP_STATUSES)


def verified_organisation_ids(user) -> set[int]:
    """The verified organisations the user works for (read with the user's roles)."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    return {
        pk
        for pk, status in membership_statuses(user).items()
        if status == Organisation.Status.VERIFIED
    }


def committee_seat_refusal(user, municipality_id: int, represents_pes: bool) -> str:
    """Why ``user`` may not sit on a committee of the municipality's (scoring's
    ``member_refusal``), "" when they may: its officials sit on it, and people of a verified PES
    as representatives of social economy entities (art. 15 ust. 2a of the public benefit act)."""
    if represents_pes:
        if verified_organisation_ids(user):
            return ""
        return _(
            "A representative of social economy entities must belong to a verified organisation "
            "on the portal."
        )
    if roles.is_administrator(user) or roles.is_official(user, municipality_id):
        return ""
    return _(
        "Only officials of the municipality sit on this committee; a person from a PES is added "
        "as its representative."
    )


def _membership_role(user, organisation):
    if not (user and user.is_authenticated and user.is_active):
        return None
    return membership_roles(user).get(organisation.pk)


@rule("directory.register_organisation")
def can_register_organisation(user, obj=None):
    return bool(user and user.is_authenticated and user.is_active)


@rule("directory.edit_organisation")
def can_edit_organisation(user, organisation: Organisation):
    return roles.is_administrator(user) or _membership_role(user, organisation) is not None


@rule("directory.edit_founders")
def can_edit_founders(user, organisation: Organisation):
    """A cooperative's editors (and owners) keep its list of founding members."""
    return organisation.legal_form in COOPERATIVE_FORMS and can_edit_organisation(
        user, organisation
    )


@rule("directory.change_legal_data")
def can_change_legal_data(user, organisation: Organisation):
    """Only owners change the legal data (name, registry numbers, statuses, seat): directly
    while the organisation awaits verification, through an official's review once verified.
    Editors and administrators edit the rest of the profile."""
    return _membership_role(user, organisation) == OrganisationMembership.Role.OWNER


@rule("directory.request_legal_change")
def can_request_legal_change(user, organisation: Organisation):
    return organisation.status == Organisation.Status.VERIFIED and can_change_legal_data(
        user, organisation
    )


@rule("directory.review_legal_change")
def can_review_legal_change(user, change: LegalDataChange):
    """The same rule as for verification: an official of the seat municipality (or an
    administrator) who is not a member of the organisation."""
    organisation = change.organisation
    return (
        change.status == LegalDataChange.Status.PENDING
        and (
            roles.is_official(user, organisation.seat_municipality_id)
            or roles.is_administrator(user)
        )
        and _membership_role(user, organisation) is None
    )


@rule("directory.manage_members")
def can_manage_members(user, organisation: Organisation):
    return (
        roles.is_administrator(user)
        or _membership_role(user, organisation) == OrganisationMembership.Role.OWNER
    )


@rule("directory.verify_organisation")
def can_verify_organisation(user, organisation: Organisation):
    """An official of the seat municipality decides on a registration awaiting verification,
    unless they are a member of it themselves (a conflict of interest)."""
    return (
        organisation.status == Organisation.Status.PENDING
        and (
            roles.is_official(user, organisation.seat_municipality_id)
            or roles.is_administrator(user)
        )
        and _membership_role(user, organisation) is None
    )


def _official_without_conflict(user, organisation: Organisation) -> bool:
    return (
        roles.is_official(user, organisation.seat_municipality_id) or roles.is_administrator(user)
    ) and _membership_role(user, organisation) is None


@rule("directory.deactivate_organisation")
def can_deactivate_organisation(user, organisation: Organisation):
    """An owner withdraws their organisation from the portal (not while it is suspended:
    that is the official's to lift)."""
    return (
        organisation.status
        in (Organisation.Status.PENDING, Organisation.Status.VERIFIED, Organisation.Status.REJECTED)
        and _membership_role(user, organisation) == OrganisationMembership.Role.OWNER
    )


@rule("directory.reactivate_organisation")
def can_reactivate_organisation(user, organisation: Organisation):
    return (
        organisation.status == Organisation.Status.DEACTIVATED
        and _membership_role(user, organisation) == OrganisationMembership.Role.OWNER
    )


@rule("directory.suspend_organisation")
def can_suspend_organisation(user, organisation: Organisation):
    """The officials who verify an organisation may suspend it once verified."""
    return organisation.status == Organisation.Status.VERIFIED and _official_without_conflict(
        user, organisation
    )


@rule("directory.restore_organisation")
def can_restore_organisation(user, organisation: Organisation):
    return organisation.status == Organisation.Status.SUSPENDED and _official_without_conflict(
        user, organisation
    )


@rule("directory.confirm_data")
def can_confirm_data(user, organisation: Organisation):
    """The yearly check: an owner confirms the data of a verified organisation."""
    return (
        organisation.status == Organisation.Status.VERIFIED
        and _membership_role(user, organisation) == OrganisationMembership.Role.OWNER
    )


@rule("directory.view_history")
def can_view_history(user, organisation: Organisation):
    return (
        roles.is_official(user, organisation.seat_municipality_id)
        or roles.is_administrator(user)
        or _membership_role(user, organisation) is not None
    )


@rule("directory.view_verification_queue")
def can_view_verification_queue(user, obj=None):
    return roles.is_official(user) or roles.is_administrator(user)
