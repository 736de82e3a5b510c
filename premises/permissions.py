"""Who may do what with the city's premises. Pure functions; views and templates ask through
``pestor.permissions`` (``require("premises.manage_premises", user, premises)``).

Officials of the municipality that administers the premises manage its registry, its calls, its
leases and read its tenants' reports; the members of a verified PES set alerts, apply and report
for the leases they hold; everyone sees the public registry, the calls, the policy and the
results (never an application before the results, never its documents).
"""

from directory.models import Organisation, OrganisationMembership
from directory.permissions import committee_seat_refusal
from pestor import roles
from pestor.permissions import rule

from .models import AnnualReport, Application, Lease, Premises, PremisesCall


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def member_organisations(user) -> dict[int, str]:
    """{organisation id: status} of the user's organisations, read once per request."""
    if not _signed_in(user):
        return {}
    if "_premises_organisations" not in user.__dict__:
        user.__dict__["_premises_organisations"] = dict(
            OrganisationMembership.objects.filter(user=user).values_list(
                "organisation_id", "organisation__status"
            )
        )
    return user.__dict__["_premises_organisations"]


def verified_organisation_ids(user) -> set[int]:
    return {
        pk
        for pk, status in member_organisations(user).items()
        if status == Organisation.Status.VERIFIED
    }


def is_city_official(user, municipality_id) -> bool:
    return roles.is_administrator(user) or roles.is_official(user, municipality_id)


def committee_member_refusal(user, call: PremisesCall, represents_pes: bool) -> str:
    """Why ``user`` may not sit on the call's committee ("" when they may)."""
    return committee_seat_refusal(user, call.municipality_id, represents_pes)


@rule("premises.manage")
def can_manage(user, municipality=None):
    """Manage premises, calls and leases of ``municipality`` (any, when None: the panel)."""
    if municipality is None:
        return roles.is_administrator(user) or roles.is_official(user)
    return is_city_official(user, municipality)


@rule("premises.edit_policy")
def can_edit_policy(user, municipality):
    """Change the municipality's discount rules in the portal: its officials who hold the
    permission to change them (``premises.change_discountpolicy``, given in the admin, by a
    group or to the person), and the administrators."""
    if roles.is_administrator(user):
        return True
    return bool(
        _signed_in(user)
        and roles.is_official(user, municipality)
        and user.has_perm("premises.change_discountpolicy")
    )


@rule("premises.manage_premises")
def can_manage_premises(user, premises: Premises):
    return is_city_official(user, premises.municipality_id)


@rule("premises.manage_call")
def can_manage_call(user, call: PremisesCall):
    return is_city_official(user, call.municipality_id)


@rule("premises.publish_call")
def can_publish_call(user, call: PremisesCall):
    return call.status == PremisesCall.Status.DRAFT and can_manage_call(user, call)


@rule("premises.decide_call")
def can_decide_call(user, call: PremisesCall):
    return call.status == PremisesCall.Status.PUBLISHED and can_manage_call(user, call)


@rule("premises.form_committee")
def can_form_committee(user, call: PremisesCall):
    """Set the criteria of the call's committee (once, before the results)."""
    return call.status != PremisesCall.Status.DECIDED and can_manage_call(user, call)


@rule("premises.apply")
def can_apply(user, call: PremisesCall):
    """A member of a verified PES, while the call is open (the service checks the clock)."""
    return call.is_open() and bool(verified_organisation_ids(user))


@rule("premises.view_application")
def can_view_application(user, application: Application):
    """The applicant's members, the call's officials, and the members of the call's committee
    who declared no conflict of interest with it (they read its documents to score it)."""
    return (
        application.organisation_id in member_organisations(user)
        or is_city_official(user, application.call.municipality_id)
        or _cleared_committee_member(user, application)
    )


def _cleared_committee_member(user, application: Application) -> bool:
    if not _signed_in(user):
        return False
    from scoring import selectors as scoring_selectors

    panel = scoring_selectors.panel_for_owner(owner=application.call)
    return panel is not None and scoring_selectors.cleared_for_item(
        panel=panel, user=user, item=application
    )


@rule("premises.withdraw_application")
def can_withdraw_application(user, application: Application):
    return (
        application.status == Application.Status.SUBMITTED
        and application.call.is_open()
        and application.organisation_id in member_organisations(user)
    )


@rule("premises.set_alerts")
def can_set_alerts(user, obj=None):
    return bool(verified_organisation_ids(user))


@rule("premises.view_lease")
def can_view_lease(user, lease: Lease):
    return lease.organisation_id in member_organisations(user) or is_city_official(
        user, lease.municipality_id
    )


@rule("premises.manage_lease")
def can_manage_lease(user, lease: Lease):
    return is_city_official(user, lease.municipality_id)


@rule("premises.report")
def can_report(user, lease: Lease):
    """The tenant's members file the annual report of a lease."""
    return lease.organisation_id in member_organisations(user)


@rule("premises.view_report")
def can_view_report(user, report: AnnualReport):
    return can_view_lease(user, report.lease)


@rule("premises.decide_report")
def can_decide_report(user, report: AnnualReport):
    return report.status == AnnualReport.Status.SUBMITTED and is_city_official(
        user, report.lease.municipality_id
    )
