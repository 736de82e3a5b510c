"""The portal's shared form field for amounts and numbers."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from demand.forms import AnswerForm, AwardForm, ClauseCheckForm, NoticeForm
from directory.forms import OrganisationForm
from exchange.filters import OfferFilterSet
from exchange.forms import OfferForm
from monitoring.forms import IndicatorForm, MeasurementForm
from pestor.forms import DecimalField, ModelMultipleChoiceField
from pestor.models import Municipality
from pestor.widgets import AutocompleteField
from tests.factories import MunicipalityFactory

HOSTILE = ["NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "inf", "1e999999999", "-1e999999999"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_value_that_is_no_ordinary_amount_is_refused_with_a_message(value):
    with pytest.raises(ValidationError) as refused:
        DecimalField(max_digits=14, decimal_places=2).clean(value)
    assert refused.value.code in ("not_finite", "out_of_range")


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("999999999999.99", Decimal("999999999999.99")),
        ("-999999999999.99", Decimal("-999999999999.99")),
        ("1.25e3", Decimal("1250")),
        ("", None),
    ],
)
def test_ordinary_amounts_up_to_the_columns_size_are_accepted(value, accepted):
    assert DecimalField(max_digits=14, decimal_places=2, required=False).clean(value) == accepted


def test_one_more_than_the_column_holds_is_out_of_range():
    with pytest.raises(ValidationError) as refused:
        DecimalField(max_digits=14, decimal_places=2).clean("1000000000000")
    assert refused.value.code == "out_of_range"


@pytest.mark.parametrize(
    ("form_class", "name"),
    [
        (OrganisationForm, "latitude"),
        (OrganisationForm, "longitude"),
        (OfferForm, "price"),
        (NoticeForm, "quantity"),
        (NoticeForm, "estimated_value"),
        (ClauseCheckForm, "estimated_value"),
        (AwardForm, "awarded_value"),
        (IndicatorForm, "baseline"),
        (IndicatorForm, "target"),
        (MeasurementForm, "value"),
    ],
)
def test_every_amount_of_the_portals_forms_is_the_shared_field(form_class, name):
    assert isinstance(form_class.base_fields[name], DecimalField)


def test_the_offer_price_filters_are_the_shared_field(db):
    form = OfferFilterSet(data={"price_min": "1e999999999"}).form
    assert isinstance(form.fields["price_min"], DecimalField)
    assert isinstance(form.fields["price_max"], DecimalField)
    assert not form.is_valid()


@pytest.mark.parametrize("key", ["9" * 40, "-" + "9" * 40, "abc", "1e999999999", "a\x00b"])
def test_a_key_no_row_could_have_is_an_invalid_choice_not_a_database_error(db, key):
    """Django's own field sent "9999…" to an IN (…) query: an OverflowError on SQLite."""
    municipality = MunicipalityFactory()
    field = ModelMultipleChoiceField(queryset=Municipality.objects.all())
    with pytest.raises(ValidationError) as refused:
        field.clean([str(municipality.pk), key])
    assert refused.value.code == "invalid_pk_value"


@pytest.mark.parametrize(
    ("form_class", "name"),
    [
        (OrganisationForm, "spheres"),
        (NoticeForm, "remove_attachments"),
        (AwardForm, "answers"),
        (AnswerForm, "partners"),
    ],
)
def test_every_multiple_choice_of_rows_is_the_shared_field(form_class, name):
    assert isinstance(form_class.base_fields[name], ModelMultipleChoiceField)


@pytest.mark.parametrize(
    ("form_class", "name"),
    [
        (OrganisationForm, "municipalities_served"),
        (OfferForm, "municipalities_served"),
        (OfferForm, "cpv"),
        (NoticeForm, "municipality"),
        (NoticeForm, "cpv_codes"),
    ],
)
def test_a_choice_among_thousands_of_rows_is_an_autocomplete(form_class, name):
    """2 477 municipalities, ~9 500 CPV codes: typed, never listed in the page."""
    assert isinstance(form_class.base_fields[name], AutocompleteField)


@pytest.mark.django_db
def test_a_choice_fields_options_are_read_in_one_query_not_through_a_server_side_cursor():
    """Django reads a ModelChoiceField's options with ``QuerySet.iterator()``: on PostgreSQL a
    server-side cursor (DECLARE, FETCH, CLOSE) on every list page with a select of rows."""
    from django import forms
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from directory.filters import OrganisationFilterSet
    from directory.models import PublicBenefitSphere
    from pestor.forms import ModelChoiceField
    from tests.factories import MunicipalityFactory

    MunicipalityFactory.create_batch(5)

    class Form(forms.Form):
        one = ModelChoiceField(queryset=Municipality.objects.order_by("pk")[:5])
        several = ModelMultipleChoiceField(queryset=Municipality.objects.order_by("pk")[:5])

    for spheres in (False, True):
        with CaptureQueriesContext(connection) as queries:
            html = (
                str(OrganisationFilterSet({}).form["sphere"])
                if spheres
                else str(Form()["one"]) + str(Form()["several"])
            )
        assert html.count("<option") >= (PublicBenefitSphere.objects.count() if spheres else 10)
        assert len(queries.captured_queries) == (1 if spheres else 2)
        assert not [q for q in queries.captured_queries if q["sql"].startswith("DECLARE")]
