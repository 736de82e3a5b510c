"""A cooperative's founding members, kept by its editors; every change is in the event log."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pestor import audit
from pestor.validators import compact_nip, compact_regon

from ..models import CooperativeFounder, Organisation


def _duplicate_error(founder: CooperativeFounder) -> ValidationError:
    field = (
        "municipality" if founder.kind == CooperativeFounder.Kind.MUNICIPALITY else "organisation"
    )
    return ValidationError(
        {field: _("This founding member is already on the list.")}, code="duplicate"
    )


@transaction.atomic
def founder_add(
    *,
    actor,
    cooperative: Organisation,
    kind: str,
    municipality=None,
    organisation=None,
    name: str = "",
    nip: str = "",
    regon: str = "",
) -> CooperativeFounder:
    founder = CooperativeFounder(
        cooperative=cooperative,
        kind=kind,
        municipality=municipality,
        organisation=organisation,
        name=(name or "").strip(),
        nip=compact_nip(nip or ""),
        regon=compact_regon(regon or ""),
    )
    founder.full_clean()
    duplicate = CooperativeFounder.objects.filter(cooperative=cooperative)
    if founder.municipality_id and duplicate.filter(municipality=founder.municipality).exists():
        raise _duplicate_error(founder)
    if founder.organisation_id and duplicate.filter(organisation=founder.organisation).exists():
        raise _duplicate_error(founder)
    try:
        with transaction.atomic():
            founder.save()
    except IntegrityError:
        raise _duplicate_error(founder) from None
    audit.record(
        actor=actor,
        action="organisation.founder_added",
        target=cooperative,
        after={"founder": founder.display_name, "kind": founder.kind},
    )
    return founder


@transaction.atomic
def founder_remove(*, actor, founder: CooperativeFounder) -> None:
    cooperative = founder.cooperative
    audit.record(
        actor=actor,
        action="organisation.founder_removed",
        target=cooperative,
        before={"founder": founder.display_name, "kind": founder.kind},
    )
    founder.delete()
