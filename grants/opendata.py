"""Awarded grants as open data following the 360Giving Data Standard (1.4): a JSON package and
a CSV with the standard's column titles. Both are streamed from an iterator, a grant at a time,
so that the whole table is never in memory; the builders take any iterable of funded offers
(``selectors.awarded_grants().iterator()``), for the portal's pages and for a data catalogue.

- ``id``: the installation's prefix (``settings.GRANTS_360GIVING_PREFIX``) and the offer's number;
- the recipient by its KRS number (``PL-KRS-…``), or by its NIP when it has none (``PL-NIP-…``);
- the funder is the municipality, the grant programme its open competition, the beneficiaries'
  location the municipality (its TERYT code); amounts in PLN, the award date the day the
  results were published, the planned dates the task's.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from pestor.exports import escape_text
from pestor.notifications import absolute_url

VERSION = "1.4"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def _prefix() -> str:
    return settings.GRANTS_360GIVING_PREFIX


def _amount(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def recipient_id(organisation) -> str:
    if organisation.krs:
        return f"PL-KRS-{organisation.krs}"
    return f"PL-NIP-{organisation.nip}"


def grant_record(offer) -> dict:
    """One grant in the 360Giving fields."""
    competition = offer.competition
    municipality = competition.municipality
    programme_url = absolute_url(reverse("grants:competition-detail", args=[competition.pk]))
    organisation = offer.organisation
    recipient = {"id": recipient_id(organisation), "name": organisation.name}
    if organisation.krs:
        recipient["companyNumber"] = organisation.krs
    record = {
        "id": f"{_prefix()}-{offer.pk}",
        "title": offer.task_title,
        "description": offer.task_description,
        "currency": "PLN",
        "amountAppliedFor": _amount(offer.grant_requested),
        "amountAwarded": _amount(offer.awarded_amount),
        "awardDate": timezone.localdate(competition.decided_at).isoformat(),
        "url": programme_url,
        "plannedDates": [
            {
                "startDate": competition.task_starts_on.isoformat(),
                "endDate": competition.task_ends_on.isoformat(),
            }
        ],
        "recipientOrganization": [recipient],
        "fundingOrganization": [
            {"id": f"{_prefix()}-gmina-{municipality.teryt}", "name": municipality.name}
        ],
        "grantProgramme": [
            {
                "code": f"{_prefix()}-konkurs-{competition.pk}",
                "title": competition.title,
                "url": programme_url,
            }
        ],
        "beneficiaryLocation": [
            {
                "name": municipality.name,
                "countryCode": "PL",
                "geoCode": municipality.teryt,
                "geoCodeType": "TERYT",
            }
        ],
        "fromOpenCall": "Yes",
    }
    return record


def json_package(grants: Iterable) -> Iterator[str]:
    """The 360Giving package, in pieces: its metadata, then one grant at a time."""
    head = {
        "version": VERSION,
        "title": f"{settings.SITE_NAME}: dotacje w otwartych konkursach ofert",
        "license": LICENSE,
        "issued": timezone.now().isoformat(timespec="seconds"),
        "publisher": {"name": settings.SITE_NAME, "website": settings.SITE_URL},
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "grants": ['
    separator = ""
    for offer in grants:
        yield separator + json.dumps(grant_record(offer), ensure_ascii=False)
        separator = ","
    yield "]}\n"


# The standard's spreadsheet column titles, each with where its value is in a grant's record.
CSV_COLUMNS = [
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Applied For", ("amountAppliedFor",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Award Date", ("awardDate",)),
    ("URL", ("url",)),
    ("Planned Dates:Start Date", ("plannedDates", 0, "startDate")),
    ("Planned Dates:End Date", ("plannedDates", 0, "endDate")),
    ("Recipient Org:Identifier", ("recipientOrganization", 0, "id")),
    ("Recipient Org:Name", ("recipientOrganization", 0, "name")),
    ("Recipient Org:Company Number", ("recipientOrganization", 0, "companyNumber")),
    ("Funding Org:Identifier", ("fundingOrganization", 0, "id")),
    ("Funding Org:Name", ("fundingOrganization", 0, "name")),
    ("Grant Programme:Code", ("grantProgramme", 0, "code")),
    ("Grant Programme:Title", ("grantProgramme", 0, "title")),
    ("Grant Programme:URL", ("grantProgramme", 0, "url")),
    ("Beneficiary Location:Name", ("beneficiaryLocation", 0, "name")),
    ("Beneficiary Location:Country Code", ("beneficiaryLocation", 0, "countryCode")),
    ("Beneficiary Location:Geographic Code", ("beneficiaryLocation", 0, "geoCode")),
    ("Beneficiary Location:Geographic Code Type", ("beneficiaryLocation", 0, "geoCodeType")),
    ("From An Open Call?", ("fromOpenCall",)),
]


def _pick(record, path):
    value = record
    for key in path:
        try:
            value = value[key]
        except (KeyError, IndexError):
            return ""
    return value


class _Line:
    """csv.writer's target: hands back the line it was given."""

    def write(self, text):
        return text


def csv_rows(grants: Iterable) -> Iterator[str]:
    """The grants as CSV with the standard's column titles (comma-separated, UTF-8, amounts with
    a decimal point, as 360Giving's tools read them). Text that would start a formula in a
    spreadsheet gets a leading apostrophe."""
    writer = csv.writer(_Line())
    yield writer.writerow([title for title, _path in CSV_COLUMNS])
    for offer in grants:
        record = grant_record(offer)
        yield writer.writerow(
            [
                value if isinstance(value, int | float) else escape_text(value)
                for value in (_pick(record, path) for _title, path in CSV_COLUMNS)
            ]
        )
