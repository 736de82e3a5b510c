"""generate_national_data writes valid rows at any scale, and bench_pages measures every page the
apps list (times are printed, never asserted)."""

import io
import json
import random
import re
from itertools import islice

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from stdnum.pl import nip, regon

from demand.models import Answer, DemandNotice, NoticeMatch, SocialClauseCheck, notice_search_text
from directory.models import Organisation, organisation_search_text
from exchange.models import Offer, offer_search_text
from monitoring.models import CooperationProgramme, Indicator, Measurement
from pestor.bench import BARE_LABEL, LIST_KINDS, MAX_QUERIES, all_pages
from pestor.bulk import BulkNumbers, teryt_codes
from pestor.models import Company, Municipality
from pestor.text import fold
from tests.exchange.factories import offer_area_rows, offer_areas_by_rule

SCALE = 0.003  # 7 municipalities, 360 organisations, 1 800 offers, 750 notices, 2 100 answers


def generate(*args) -> str:
    out = io.StringIO()
    call_command("generate_national_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def national_data(django_db_setup, django_db_blocker):
    """The data, generated once for a class of tests that only read it, rolled back after."""
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        yield generate("--scale", str(SCALE))
        transaction.set_rollback(True)


@pytest.mark.usefixtures("national_data")
@pytest.mark.django_db
class TestGeneratedData:
    def test_every_table_gets_its_share_of_the_national_figures(self, national_data):
        assert Municipality.objects.count() == round(2477 * SCALE)
        # The demo's organisations and offers come on top of the generated ones.
        assert Organisation.objects.count() >= round(120_000 * SCALE)
        assert Offer.objects.count() >= round(600_000 * SCALE)
        assert DemandNotice.objects.count() >= round(250_000 * SCALE)
        assert Answer.objects.count() >= 0.8 * 700_000 * SCALE
        assert CooperationProgramme.objects.count() >= 2
        assert Measurement.objects.exists()
        assert "national-scale data loaded" in national_data

    def test_rows_pass_their_models_validation(self):
        samples = [
            *Municipality.objects.order_by("pk"),
            *Company.objects.order_by("pk"),
            *Organisation.objects.order_by("pk")[:200],
            *Offer.objects.order_by("-pk")[:200],
            *DemandNotice.objects.order_by("-pk")[:200],
            *SocialClauseCheck.objects.order_by("-pk")[:100],
            *Answer.objects.order_by("-pk")[:100],
            *CooperationProgramme.objects.order_by("-pk"),
            *Indicator.objects.order_by("-pk")[:50],
        ]
        for row in samples:
            row.full_clean()

    def test_registry_numbers_are_valid_and_unique(self):
        nips = list(Organisation.objects.values_list("nip", flat=True))
        nips += list(Company.objects.values_list("nip", flat=True))
        assert len(nips) == len(set(nips))
        assert all(nip.is_valid(number) for number in nips)
        assert all(
            regon.is_valid(number)
            for number in Organisation.objects.values_list("regon", flat=True)
        )
        krs = [number for number in Organisation.objects.values_list("krs", flat=True) if number]
        assert krs and all(len(number) == 10 and number.isdigit() for number in krs)

    def test_search_text_is_folded_as_the_models_fold_it(self):
        for organisation in Organisation.objects.order_by("-pk")[:100]:
            assert organisation.search_text == organisation_search_text(organisation)
            assert organisation.search_text == fold(organisation.search_text)
        for offer in Offer.objects.select_related("organisation").order_by("-pk")[:100]:
            assert offer.search_text == offer_search_text(offer, offer.organisation)
        for notice in DemandNotice.objects.order_by("-pk")[:100]:
            assert notice.search_text == notice_search_text(notice)
        assert Organisation.objects.filter(search_text="").count() == 0

    def test_the_municipalities_of_the_public_offers_are_those_the_rule_gives(self):
        """OfferArea (the catalogue's municipality filter) holds exactly what
        ``Offer.objects.serving`` finds among the public offers, generated and demo ones."""
        expected = offer_areas_by_rule()
        table = offer_area_rows()
        assert len(expected) > 1000
        assert len(table) == len(set(table))
        assert set(table) == expected

    def test_positions_lie_in_poland(self):
        for latitude, longitude in Organisation.objects.values_list("latitude", "longitude"):
            assert 49 <= latitude <= 54.9 and 14 <= longitude <= 24.2

    def test_notices_carry_their_checks_reservation(self):
        """The open list's "reserved" filter reads the notice's copy (DemandNotice), which
        rows written in bulk get from the generator, not from SocialClauseCheck.save()."""
        reserved = set(
            SocialClauseCheck.objects.filter(reserved_for_pes=True).values_list(
                "notice_id", flat=True
            )
        )
        assert reserved
        copied = DemandNotice.objects.filter(reserved_for_pes=True).values_list("pk", flat=True)
        assert set(copied) == reserved

    def test_awarded_notices_have_one_awarded_priced_answer(self):
        awarded = DemandNotice.objects.filter(status=DemandNotice.Status.AWARDED)
        assert awarded.exists()
        for notice in awarded:
            winners = list(notice.answers.filter(is_awarded=True))
            assert len(winners) == 1 and winners[0].price_net is not None
            assert notice.awarded_value is not None and notice.award_date is not None

    def test_answering_organisations_were_matched(self):
        answered = set(Answer.objects.values_list("notice_id", "organisation_id"))
        matched = set(NoticeMatch.objects.values_list("notice_id", "organisation_id"))
        assert answered <= matched

    def test_the_dashboards_have_their_snapshots(self):
        """Dashboards and reports read snapshots; the generator takes them, as beat would."""
        from monitoring import services
        from monitoring.models import IndicatorSnapshot

        plan = services.indicator_snapshots_plan(today=timezone.localdate())
        assert plan
        taken = set(IndicatorSnapshot.objects.values_list("municipality_id", "period_start"))
        assert {(municipality, start) for municipality, start, _end, _renew in plan} <= taken

    def test_a_database_with_data_is_refused_without_append(self):
        with pytest.raises(CommandError, match="--append"):
            generate("--scale", "0.001")

    def test_append_adds_rows_that_keep_the_numbers_unique(self):
        before = Organisation.objects.count()
        generate("--scale", "0.001", "--append")
        assert Organisation.objects.count() == before + 120
        nips = list(Organisation.objects.values_list("nip", flat=True))
        nips += list(Company.objects.values_list("nip", flat=True))
        assert len(nips) == len(set(nips))

    def test_bench_pages_prints_a_row_for_every_page_and_the_bare_view(self, tmp_path):
        out = io.StringIO()
        report = tmp_path / "bench.json"
        call_command(
            "bench_pages", "--requests", "1", "--budget", "0", "--json", str(report), stdout=out
        )
        printed = out.getvalue()
        figures = json.loads(report.read_text(encoding="utf-8"))["single"]
        pages = all_pages()
        assert len(figures) == len(pages) + 1
        bare = figures[0]
        assert bare["page"] == BARE_LABEL and bare["status"] == 200 and bare["queries"] == 0
        for page, row in zip(pages, figures[1:], strict=True):
            assert (row["page"], row["url"]) == (page.label, page.url)
            assert re.search(rf"^{page.app}\s+{re.escape(page.label)}\s", printed, re.M)
            # Deep pages past the end of the small data set are "not found"; nothing else.
            assert row["status"] == 200 or (page.kind in LIST_KINDS and row["status"] == 404)
            assert row["bytes"] > 0 and row["median_ms"] > 0
            assert ("queries" in row["misses"]) == (row["queries"] > MAX_QUERIES)
        assert {page.app for page in pages} >= {"pestor", "directory", "exchange", "demand"}
        assert "monitoring" in {page.app for page in pages}


@pytest.mark.django_db
def test_bench_pages_concurrent_run_starts_and_stops_its_own_server(tmp_path):
    """Only the bare view (it needs no data), 2 clients for a second: the server starts on
    127.0.0.1, answers, and is stopped by the command."""
    out = io.StringIO()
    report = tmp_path / "bench.json"
    call_command(
        "bench_pages",
        "--requests",
        "1",
        "--only",
        "no page is called this",
        "--concurrent",
        "2",
        "--duration",
        "1",
        "--json",
        str(report),
        stdout=out,
    )
    concurrent = json.loads(report.read_text(encoding="utf-8"))["concurrent"]
    assert [row["kind"] for row in concurrent] == ["bare", "bare"]
    assert all(row["requests"] > 0 and row["errors"] == 0 for row in concurrent)
    assert "req/s" in out.getvalue()
    # Each of the 2 workers' resident memory, when started and after the pages (with its peak).
    memory = json.loads(report.read_text(encoding="utf-8"))["workers_memory_mb"]
    assert len(memory["started"]) == len(memory["finished"]) == 2
    assert all(0 < rss <= peak for rss, peak in memory["finished"])
    assert "Workers' resident memory, MB:" in out.getvalue()


def test_teryt_codes_have_the_shape_of_the_register():
    codes = [teryt for _voivodeship, teryt in islice(teryt_codes(random.Random(1)), 3000)]
    assert len(set(codes)) == 3000
    assert all(re.fullmatch(r"(0[2468]|[12][02468]|3[02])\d{4}[123]", code) for code in codes)


def test_generated_nips_are_valid_and_skip_the_taken_ones():
    first = BulkNumbers().nip()
    numbers = BulkNumbers(taken_nips={first})
    generated = [numbers.nip() for _ in range(2000)]
    assert first not in generated
    assert len(set(generated)) == 2000 and all(nip.is_valid(number) for number in generated)
