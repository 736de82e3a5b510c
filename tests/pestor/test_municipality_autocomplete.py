"""The municipality autocomplete (pestor.widgets): its JSON source, and the field that resolves
a typed name without JavaScript."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pestor.models import Voivodeship
from pestor.widgets import MunicipalityField, municipality_label
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

URL = reverse("pestor:municipality-suggestions")


@pytest.fixture
def places(db):
    return {
        "lodz": MunicipalityFactory(
            name="Łódź", slug="lodz", teryt="1061011", voivodeship=Voivodeship.LODZKIE
        ),
        "lodygowice": MunicipalityFactory(
            name="Łodygowice", slug="lodygowice", teryt="2417042", voivodeship=Voivodeship.SLASKIE
        ),
        "zgierz_city": MunicipalityFactory(
            name="Zgierz", slug="zgierz-m", teryt="1020011", voivodeship=Voivodeship.LODZKIE
        ),
        "zgierz_rural": MunicipalityFactory(
            name="Zgierz", slug="zgierz-g", teryt="1020022", voivodeship=Voivodeship.LODZKIE
        ),
        "torun": MunicipalityFactory(name="Toruń", slug="torun", teryt="0463011"),
        "kedzierzyn": MunicipalityFactory(
            name="Kędzierzyn-Koźle", slug="kk", teryt="1603011", voivodeship=Voivodeship.OPOLSKIE
        ),
    }


def names(response):
    return [result["name"] for result in response.json()["results"]]


def test_lodz_finds_lodz_in_one_query(client, places):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, {"q": "lodz"})
    assert len(captured) == 1
    # Those starting with the words first.
    assert names(response) == ["Łódź"]
    assert names(client.get(URL, {"q": "LOD"})) == ["Łodygowice", "Łódź"]
    assert names(client.get(URL, {"q": "kozle kedzierzyn"})) == ["Kędzierzyn-Koźle"]
    assert names(client.get(URL, {"q": "kedzierzyn kozle"})) == ["Kędzierzyn-Koźle"]
    result = client.get(URL, {"q": "łódź"}).json()["results"][0]
    assert result == {
        "value": "lodz",
        "name": "Łódź",
        "detail": "gmina miejska, woj. łódzkie",
        "label": "Łódź (gmina miejska, woj. łódzkie, TERYT 1061011)",
    }


def test_same_names_are_told_apart(client, places):
    results = client.get(URL, {"q": "zgierz"}).json()["results"]
    assert [r["detail"] for r in results] == [
        "gmina miejska, woj. łódzkie",
        "gmina wiejska, woj. łódzkie",
    ]


def test_at_most_twenty(client, db):
    for number in range(30):
        MunicipalityFactory(name=f"Nowa Wieś {number}")
    assert len(client.get(URL, {"q": "nowa wies"}).json()["results"]) == 20


@pytest.mark.parametrize(
    "query", ["", " ", "a\x00b", "x" * 10_000, "' OR 1=1 --", "[a-z]*", "\\", "(", "Ꭺ𝔄а中", ".*"]
)
def test_any_query_is_answered(client, places, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)
    if query in ("[a-z]*", ".*", "\\", "("):
        assert response.json()["results"] == []


class Form(forms.Form):
    municipality = MunicipalityField(label="Gmina")


def clean(value):
    form = Form(data={"municipality": value})
    form.is_valid()
    return form


@pytest.mark.parametrize(
    "value",
    ["torun", "Toruń", "torun ", "TORUŃ", "0463011", "Toruń (gmina miejska, TERYT 0463011)"],
)
def test_the_field_resolves_a_name_a_slug_or_a_teryt_code(places, value):
    form = clean(value)
    assert form.cleaned_data["municipality"] == places["torun"]
    # It shows as its label, and gives the script its slug.
    html = str(form["municipality"])
    assert 'value="Toruń (gmina miejska, woj. kujawsko-pomorskie, TERYT 0463011)"' in html
    assert (
        'data-chosen="[{&quot;value&quot;: &quot;torun&quot;, &quot;name&quot;: &quot;Toruń&quot;'
        in html
    )


def test_an_ambiguous_name_lists_the_candidates(places):
    form = clean("zgierz")
    assert form.errors["municipality"] == [
        "Jest więcej niż jedna gmina o nazwie „zgierz”: "
        "Zgierz (gmina miejska, woj. łódzkie, TERYT 1020011); "
        "Zgierz (gmina wiejska, woj. łódzkie, TERYT 1020022). "
        "Wpisz nazwę tak, jak jest tu podana, z kodem TERYT."
    ]
    # Typed as listed, it is found.
    listed = municipality_label(places["zgierz_rural"])
    assert clean(listed).cleaned_data["municipality"] == places["zgierz_rural"]
    assert clean("Zgierz (gmina wiejska)").cleaned_data["municipality"] == places["zgierz_rural"]


def test_an_unknown_name_suggests_similar_ones(places):
    assert clean("Łódźź").errors["municipality"] == [
        "Nie ma gminy o nazwie „Łódźź”. Wpisz nazwę gminy, na przykład „Toruń”."
    ]
    error = clean("lod").errors["municipality"][0]
    assert error.startswith("Nie ma gminy o nazwie „lod”. Czy chodzi o: Łodygowice (")
    assert "Łódź (gmina miejska, woj. łódzkie, TERYT 1061011)" in error


def test_empty_is_no_municipality(places):
    form = clean("")
    assert form.is_valid() and form.cleaned_data["municipality"] is None


@pytest.mark.parametrize("value", ["a\x00b", "x" * 10_000, "9" * 40, "' OR 1=1 --", "NaN"])
def test_hostile_values_are_form_errors(places, value):
    form = clean(value)
    assert not form.is_valid()


def test_what_one_form_resolved_is_not_remembered_by_the_next(places):
    assert clean("torun").cleaned_data["municipality"] == places["torun"]
    places["torun"].delete()
    form = clean("torun")
    assert not form.is_valid()
    assert "municipality" in form.errors
