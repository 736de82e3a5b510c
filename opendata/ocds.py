"""The demand register as the Open Contracting Data Standard 1.1 (https://standard.open-contracting.org/1.1/).

A municipality's notice is a contracting process: its ``ocid`` is the installation's prefix
(``settings.OCDS_OCID_PREFIX``, registered with the Open Contracting Partnership) and the
notice's number. Each event the public saw is a release carrying the whole state at that moment:

- ``tender`` when it was published (answers counted as ``numberOfTenderers``, never their prices
  or texts; the estimated value only where the buyer made it public);
- ``award`` when it was awarded (the awarded value and date, the awarded PES and the confirmed
  partners of a consortium as suppliers, identified by KRS, or NIP without one);
- ``tenderCancellation`` when it was cancelled.

A record per notice carries its releases and the compiled release (the state after the last
one). The buyer is the municipality, identified by its REGON (TERYT where none is set), with the
department named in ``buyer.name``. An art. 94 PZP reservation is
``tender.otherRequirements.reservedParticipation`` (the "Other requirements" extension's field,
with the value eForms uses for reservation to sheltered workshops and social enterprises); the
social clauses are also said in words in ``tender.procurementMethodRationale``.

The data speaks Polish (``language``: the builder runs under ``translation.override("pl")``).
Functions here take the notices ``demand.selectors.open_data_notices`` yields and return plain
dicts; opendata.datasets writes them into packages.
"""

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

WARSAW = ZoneInfo("Europe/Warsaw")
OCDS_VERSION = "1.1"
CURRENCY = "PLN"
# CPV divisions of works (45); the others below 45 are goods, from 48 on services (48: software
# packages, counted as goods by the CPV itself).
WORKS_DIVISION = "45"


def ocid(notice) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-{notice.pk}"


def instant(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value, WARSAW).isoformat(timespec="seconds")
    # A date (of award): midnight in Warsaw, which the standard's date-time needs.
    return datetime.combine(value, time.min, tzinfo=WARSAW).isoformat(timespec="seconds")


def _amount(value: Decimal | None) -> dict | None:
    if value is None:
        return None
    return {"amount": float(value), "currency": CURRENCY}


def buyer_party(notice) -> dict:
    municipality = notice.municipality
    if municipality.regon:
        identifier = {"scheme": "PL-REGON", "id": municipality.regon}
    else:
        identifier = {"scheme": "PL-TERYT", "id": municipality.teryt}
    legal_name = _("Municipality of %(name)s") % {"name": municipality.name}
    identifier["legalName"] = legal_name
    return {
        "id": f"{identifier['scheme']}-{identifier['id']}",
        "name": f"{notice.department.name}, {legal_name}",
        "identifier": identifier,
        "address": {"locality": municipality.name, "countryName": _("Poland")},
        "roles": ["buyer", "procuringEntity"],
    }


def supplier_party(organisation) -> dict:
    if organisation.krs:
        identifier = {"scheme": "PL-KRS", "id": organisation.krs}
    else:
        identifier = {"scheme": "PL-NIP", "id": organisation.nip}
    identifier["legalName"] = organisation.name
    return {
        "id": f"{identifier['scheme']}-{identifier['id']}",
        "name": organisation.name,
        "identifier": identifier,
        "additionalIdentifiers": [{"scheme": "PL-NIP", "id": organisation.nip}]
        if organisation.krs
        else [],
        "roles": ["supplier"],
    }


def _category(codes) -> str | None:
    divisions = {code.code[:2] for code in codes}
    if not divisions:
        return None
    if divisions == {WORKS_DIVISION}:
        return "works"
    if all(division < WORKS_DIVISION or division == "48" for division in divisions):
        return "goods"
    if all(division > WORKS_DIVISION for division in divisions):
        return "services"
    return None


def _tender(notice, *, status: str) -> dict:
    codes = list(notice.cpv_codes.all())
    check = getattr(notice, "clause_check", None)
    tender = {
        "id": f"{ocid(notice)}-tender",
        "title": notice.title,
        "description": notice.description,
        "status": status,
        # Anyone (any PES, or only those qualifying under art. 94 where reserved) may answer a
        # published notice.
        "procurementMethod": "open",
        "procurementMethodDetails": _("Demand notice in the PES-TOR portal"),
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": {
            "startDate": instant(notice.published_at),
            "endDate": instant(notice.answers_deadline),
        },
        "numberOfTenderers": notice.answer_count,
        "items": [
            {
                "id": str(number),
                "description": code.name_pl,
                "classification": {
                    "scheme": "CPV",
                    "id": code.full_code,
                    "description": code.name_pl,
                },
                **(
                    {"quantity": float(notice.quantity), "unit": {"name": notice.unit}}
                    if number == 1 and notice.quantity is not None and notice.unit
                    else {}
                ),
            }
            for number, code in enumerate(codes, start=1)
        ],
    }
    category = _category(codes)
    if category:
        tender["mainProcurementCategory"] = category
    if notice.estimated_value_public and notice.estimated_value is not None:
        tender["value"] = _amount(notice.estimated_value)
    if notice.delivery_from or notice.delivery_to:
        tender["contractPeriod"] = {
            key: instant(value)
            for key, value in (("startDate", notice.delivery_from), ("endDate", notice.delivery_to))
            if value
        }
    if check is not None:
        clauses = []
        if check.reserved_for_pes:
            tender["otherRequirements"] = {"reservedParticipation": ["shelteredWorkshop"]}
            clauses.append(_("contract reserved for social economy entities (art. 94 PZP)"))
        if check.employment_requirement:
            clauses.append(_("employment of excluded persons required (art. 96 PZP)"))
        if check.is_social_service:
            clauses.append(_("social services (art. 359-361 PZP)"))
        if clauses:
            tender["procurementMethodRationale"] = "; ".join(clauses)
    return tender


def _awards(notice) -> list[dict]:
    suppliers = []
    for answer in notice.awarded_answers:
        suppliers.append(answer.organisation)
        suppliers.extend(partner.organisation for partner in answer.confirmed_partners)
    award = {
        "id": f"{ocid(notice)}-award",
        "title": notice.title,
        "status": "active",
        "date": instant(notice.award_date or notice.awarded_at),
        "suppliers": [{"id": supplier_party(org)["id"], "name": org.name} for org in suppliers],
    }
    if notice.awarded_value is not None:
        award["value"] = _amount(notice.awarded_value)
    return [award], suppliers


def _release(notice, *, kind: str, date, tag: str, tender_status: str, awarded: bool) -> dict:
    buyer = buyer_party(notice)
    parties = [buyer]
    release = {
        "ocid": ocid(notice),
        "id": f"{ocid(notice)}-{kind}",
        "date": instant(date),
        "tag": [tag],
        "initiationType": "tender",
        "language": "pl",
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "tender": _tender(notice, status=tender_status),
    }
    if awarded:
        awards, suppliers = _awards(notice)
        release["awards"] = awards
        seen = set()
        for organisation in suppliers:
            party = supplier_party(organisation)
            if party["id"] not in seen:
                seen.add(party["id"])
                parties.append(party)
    release["parties"] = parties
    return release


def releases(notice) -> list[dict]:
    """The releases of one notice's process, oldest first."""
    Status = type(notice).Status
    found = [
        _release(
            notice,
            kind="tender",
            date=notice.published_at,
            tag="tender",
            tender_status="active",
            awarded=False,
        )
    ]
    if notice.status == Status.AWARDED:
        found.append(
            _release(
                notice,
                kind="award",
                date=notice.awarded_at or notice.published_at,
                tag="award",
                tender_status="complete",
                awarded=True,
            )
        )
    elif notice.status == Status.CANCELLED:
        cancelled = _release(
            notice,
            kind="cancellation",
            date=notice.cancelled_at or notice.published_at,
            tag="tenderCancellation",
            tender_status="cancelled",
            awarded=False,
        )
        if notice.cancel_reason:
            cancelled["tender"]["statusDetails"] = notice.cancel_reason
        found.append(cancelled)
    return found


def record(notice) -> dict:
    """The record of one notice: its releases and the state after the last of them."""
    found = releases(notice)
    compiled = {**found[-1], "id": f"{ocid(notice)}-compiled", "tag": ["compiled"]}
    return {"ocid": ocid(notice), "releases": found, "compiledRelease": compiled}


def package_metadata(*, uri: str, published: datetime) -> dict:
    """What a release or record package says of itself (before its list)."""
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": instant(published),
        "license": settings.OPEN_DATA_LICENCE_URL,
        "publicationPolicy": settings.SITE_URL.rstrip("/") + "/otwarte-dane/",
        "publisher": {"name": settings.OPEN_DATA_PUBLISHER},
    }
