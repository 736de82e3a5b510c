"""Who may do what in the equipment bank. Pure functions; views and templates ask through
``pestor.permissions`` (``require("equipment_bank.decide_booking", user, booking)``).

Owner managers are the officials of the owning department and the members of the owning PES;
they approve, reject, hand out, take back and clear damage. Borrowers are the members of a
verified PES and the officials of other departments, as each resource's rules allow; they see
only their own bookings. Everyone sees the catalogue and the calendars (never who booked).
"""

from django.db.models import Value

from directory import selectors as directory_selectors
from pestor import roles
from pestor import selectors as pestor_selectors
from pestor.permissions import rule

from .models import Booking, DamageCase, Owner, Resource


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def member_organisation_list(user) -> list:
    """The user's organisations as objects (the borrower choice, the links of "my bookings")."""
    if not _signed_in(user):
        return []
    if "_bank_organisation_list" not in user.__dict__:
        user.__dict__["_bank_organisation_list"] = list(
            directory_selectors.organisations_of_user(user=user)
        )
    return user.__dict__["_bank_organisation_list"]


def _borrower_sides(user) -> tuple[dict[int, str], frozenset[int]]:
    """({organisation id: status} of the user's organisations, ids of their departments), in
    one query the first time a request asks: nearly every rule of the bank needs one or both."""
    if "_bank_sides" not in user.__dict__:
        organisations = directory_selectors.organisation_statuses_of_user(user=user).values_list(
            Value("organisation"), "organisation_id", "organisation__status"
        )
        departments = pestor_selectors.department_ids_of_user(user=user).values_list(
            Value("department"), "department_id", Value("")
        )
        rows = organisations.order_by().union(departments.order_by(), all=True)
        found = {"organisation": {}, "department": set()}
        for kind, pk, status in rows:
            if kind == "organisation":
                found["organisation"][pk] = status
            else:
                found["department"].add(pk)
        user.__dict__["_bank_sides"] = (found["organisation"], frozenset(found["department"]))
    return user.__dict__["_bank_sides"]


def member_organisations(user) -> dict[int, str]:
    """{organisation id: status} of the user's organisations, read once per request."""
    if not _signed_in(user):
        return {}
    return _borrower_sides(user)[0]


def official_departments(user) -> frozenset[int]:
    """Ids of the departments the user is an official of, read once per request."""
    if not _signed_in(user):
        return frozenset()
    return _borrower_sides(user)[1]


def verified_organisation_ids(user) -> set[int]:
    return {
        pk
        for pk, status in member_organisations(user).items()
        if status == directory_selectors.VERIFIED
    }


def remember_managed_owner(user, owner: Owner) -> None:
    """``selectors.owner_get_for_user`` found ``owner`` among those the user manages (the same
    rule as ``manages_owner``, asked in the owner's own query): the request need not ask again."""
    user.__dict__.setdefault("_bank_managed_owners", set()).add(owner.pk)


def manages_owner(user, owner: Owner) -> bool:
    if not _signed_in(user) or owner is None:
        return False
    if roles.is_administrator(user):
        return True
    if owner.pk in user.__dict__.get("_bank_managed_owners", ()):
        return True
    if owner.department_id:
        return owner.department_id in official_departments(user)
    return owner.organisation_id in member_organisations(user)


def is_manager_anywhere(user) -> bool:
    """Whether the user manages any owner (the queue's link in the panel)."""
    if not _signed_in(user):
        return False
    if roles.is_administrator(user):
        return True
    return (
        Owner.objects.filter(department_id__in=official_departments(user)).exists()
        or Owner.objects.filter(organisation_id__in=member_organisations(user)).exists()
    )


def is_borrower_side(user, booking: Booking) -> bool:
    if not _signed_in(user):
        return False
    if booking.requested_by_id == user.pk:
        return True
    if booking.organisation_id:
        return booking.organisation_id in member_organisations(user)
    return booking.department_id in official_departments(user)


def borrower_options(user, resource: Resource) -> list[tuple[str, object]]:
    """For whom the user may book the resource: ``[("organisation", org), ("department",
    dept)]`` by its rules (a verified PES; another department). Never the owner itself."""
    if not _signed_in(user):
        return []
    owner = resource.owner
    options = []
    if resource.lend_to_pes:
        options += [
            ("organisation", organisation)
            for organisation in member_organisation_list(user)
            if directory_selectors.organisation_is_verified(organisation)
            and organisation.pk != owner.organisation_id
        ]
    if resource.lend_to_officials:
        ids = set(official_departments(user)) - {owner.department_id}
        options += [
            ("department", department)
            for department in pestor_selectors.departments_by_ids(ids=ids)
        ]
    return options


@rule("equipment_bank.manage_owner")
def can_manage_owner(user, owner: Owner):
    """See the owner's queue, decide requests, hand out, take back, clear damage."""
    return manages_owner(user, owner)


@rule("equipment_bank.manage_resource")
def can_manage_resource(user, resource: Resource):
    return manages_owner(user, resource.owner)


@rule("equipment_bank.book")
def can_book(user, resource: Resource):
    """A signed-in user who may borrow the public resource for someone (by its rules)."""
    if not _signed_in(user) or not resource.is_public:
        return False
    if not resource.lend_to_pes and not resource.lend_to_officials:
        return False
    pes = resource.lend_to_pes and bool(
        verified_organisation_ids(user) - {resource.owner.organisation_id}
    )
    officials = resource.lend_to_officials and bool(
        set(official_departments(user)) - {resource.owner.department_id}
    )
    return pes or officials


@rule("equipment_bank.view_booking")
def can_view_booking(user, booking: Booking):
    return is_borrower_side(user, booking) or manages_owner(user, booking.owner)


@rule("equipment_bank.cancel_booking")
def can_cancel_booking(user, booking: Booking):
    """The borrower withdraws a request or an approved booking not yet handed out."""
    return booking.status in (
        Booking.Status.REQUESTED,
        Booking.Status.APPROVED,
    ) and is_borrower_side(user, booking)


@rule("equipment_bank.decide_booking")
def can_decide_booking(user, booking: Booking):
    return booking.status == Booking.Status.REQUESTED and manages_owner(user, booking.owner)


@rule("equipment_bank.hand_out")
def can_hand_out(user, booking: Booking):
    return booking.status == Booking.Status.APPROVED and manages_owner(user, booking.owner)


@rule("equipment_bank.take_back")
def can_take_back(user, booking: Booking):
    return booking.status == Booking.Status.HANDED_OUT and manages_owner(user, booking.owner)


@rule("equipment_bank.mark_no_show")
def can_mark_no_show(user, booking: Booking):
    return booking.status == Booking.Status.APPROVED and manages_owner(user, booking.owner)


@rule("equipment_bank.close_booking")
def can_close_booking(user, booking: Booking):
    return booking.status == Booking.Status.RETURNED and manages_owner(user, booking.owner)


@rule("equipment_bank.view_protocol")
def can_view_protocol(user, booking: Booking):
    return booking.handed_out_at is not None and can_view_booking(user, booking)


@rule("equipment_bank.view_damage")
def can_view_damage(user, case: DamageCase):
    if manages_owner(user, case.unit.resource.owner):
        return True
    if not _signed_in(user):
        return False
    if case.organisation_id:
        return case.organisation_id in member_organisations(user)
    return case.department_id is not None and case.department_id in official_departments(user)


@rule("equipment_bank.clear_damage")
def can_clear_damage(user, case: DamageCase):
    return case.is_open and manages_owner(user, case.unit.resource.owner)


@rule("equipment_bank.view_my_bookings")
def can_view_my_bookings(user, obj=None):
    return _signed_in(user)


@rule("equipment_bank.view_organisation_bookings")
def can_view_organisation_bookings(user, organisation):
    """An organisation's bookings and its calendar feed: its members."""
    return _signed_in(user) and (
        organisation.pk in member_organisations(user) or roles.is_administrator(user)
    )


@rule("equipment_bank.export_bookings")
def can_export_bookings(user, obj=None):
    """Officials export the bookings of their municipality's owners; administrators all."""
    return roles.is_administrator(user) or roles.is_official(user)
