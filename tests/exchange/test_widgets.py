"""The CPV autocomplete (exchange.widgets): its JSON source, which searches the code and the
Polish name, and the field that resolves a typed code, its beginning or a name without
JavaScript, one or several."""

import json
import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exchange.models import CpvCode
from exchange.widgets import CpvField, CpvMultipleField

pytestmark = pytest.mark.django_db

URL = reverse("exchange:cpv-suggestions")


@pytest.fixture
def cleaning(db):
    """A branch of the tree with a code that is not curated, but still names its children (and
    without the curated list's other codes under it)."""
    CpvCode.objects.filter(code__startswith="909").delete()
    for code, name, curated in [
        ("90000000", "Usługi odbioru ścieków, usuwania odpadów, czyszczenia i ekologiczne", True),
        ("90900000", "Usługi w zakresie sprzątania i odkażania", False),
        ("90910000", "Usługi sprzątania", True),
        ("90911000", "Usługi sprzątania budynków", False),
        ("90919300", "Usługi sprzątania szkół", False),
    ]:
        CpvCode.objects.update_or_create(
            code=code, defaults={"name_pl": name, "name_en": "", "is_curated": curated}
        )


def codes(response):
    return [result["value"] for result in response.json()["results"]]


def test_a_name_is_found_whatever_its_ending_and_letters_in_two_queries(client, cleaning):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, {"q": "sprzątanie budynkow"})
    assert len(captured) == 2  # the codes, and the names of the codes above them
    assert codes(response) == ["90911000"]
    assert response.json()["results"][0] == {
        "value": "90911000",
        "code": "90911000-6",
        "name": "Usługi sprzątania budynków",
        "detail": "Usługi odbioru ścieków, usuwania odpadów, czyszczenia i ekologiczne \u203a "
        "Usługi w zakresie sprzątania i odkażania \u203a Usługi sprzątania",
        "label": "90911000-6 Usługi sprzątania budynków",
    }
    # The curated categories come first, then the rest by code.
    found = codes(client.get(URL, {"q": "SPRZATANIA"}))
    assert {"90900000", "90910000", "90911000", "90919300"} <= set(found)
    curated = set(CpvCode.objects.filter(is_curated=True).values_list("code", flat=True))
    ranks = [code not in curated for code in found]
    assert ranks == sorted(ranks)
    assert found.index("90910000") < found.index("90900000") < found.index("90911000")


@pytest.mark.parametrize("query", ["9091", "90910000-9", "9091 sprzat", "909 szkol"])
def test_a_code_is_found_by_its_beginning(client, cleaning, query):
    found = codes(client.get(URL, {"q": query}))
    assert found and all(code.startswith(re.sub(r"\D", "", query.split()[0])[:8]) for code in found)
    if "szkol" in query:
        assert found == ["90919300"]


def test_at_most_twenty(client, db):
    for number in range(30):
        CpvCode.objects.create(code=f"981{number:02d}000", name_pl=f"Usługa próbna {number}")
    assert len(client.get(URL, {"q": "usluga probna"}).json()["results"]) == 20


@pytest.mark.parametrize(
    "query", ["", " ", "a\x00b", "x" * 10_000, "' OR 1=1 --", "[a-z]*", "\\", "(", "Ꭺ𝔄а中", ".*"]
)
def test_any_query_is_answered(client, cleaning, query):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)
    # Only literally: no name holds these.
    if query in ("[a-z]*", ".*", "\\"):
        assert response.json()["results"] == []


class Form(forms.Form):
    cpv = CpvField(label="Kategoria")
    several = CpvMultipleField(label="Kategorie")


def clean(**data):
    form = Form(data=data)
    form.is_valid()
    return form


@pytest.mark.parametrize(
    "value",
    [
        "90911000-6",
        "90911000",
        " 90911000 - 6 ",
        "9091100",
        "90911000-6 Usługi sprzątania budynków",
        "Usługi sprzątania budynków",
        "uslugi SPRZATANIA budynkow",
    ],
)
def test_the_field_resolves_a_code_its_beginning_or_a_name(cleaning, value):
    form = clean(cpv=value)
    assert form.cleaned_data["cpv"].code == "90911000"
    html = str(form["cpv"])
    # It shows as its code and name, and gives the script its code.
    assert 'value="90911000-6 Usługi sprzątania budynków"' in html
    assert "&quot;value&quot;: &quot;90911000&quot;" in html
    assert 'data-autocomplete="cpv"' in html
    assert 'data-url="/gielda/cpv/podpowiedzi/"' in html


def test_a_wrong_check_digit_gives_the_right_one(cleaning):
    assert clean(cpv="90911000-5").errors["cpv"] == [
        "Cyfra kontrolna tego kodu CPV jest błędna; poprawny kod to 90911000-6."
    ]


def test_a_name_several_codes_share_lists_them(db):
    error = clean(cpv="usługi dostarczania posiłków").errors["cpv"][0]
    assert error.startswith("Więcej niż jeden kod CPV nazywa się „usługi dostarczania posiłków”")
    assert "55520000-1 Usługi dostarczania posiłków; 55521200-0 Usługi dostarczania" in error


def test_what_names_nothing_is_explained_with_suggestions(cleaning):
    assert clean(cpv="xyzzy").errors["cpv"] == [
        "Żaden kod CPV nie nazywa się „xyzzy”. Wpisz kod (np. 55520000-1), jego początek "
        "(np. 5552) albo pełną nazwę kategorii."
    ]
    error = clean(cpv="sprzątanie szkół").errors["cpv"][0]
    assert error.startswith("Żaden kod CPV nie nazywa się „sprzątanie szkół”. Czy chodzi o: ")
    assert "90919300-5 Usługi sprzątania szkół" in error
    assert clean(cpv="98765432").errors["cpv"][0].startswith("Żaden kod CPV")


def test_several_are_typed_separated_by_semicolons_or_as_codes_by_commas(cleaning):
    expected = ["90910000", "90911000"]
    for typed in (
        "90910000-9, 90911000-6",
        "9091 90911",
        "Usługi sprzątania; 90911000-6 Usługi sprzątania budynków",
        "Usługi sprzątania\n90911000",
    ):
        form = clean(several=typed)
        assert [code.code for code in form.cleaned_data["several"]] == expected, typed
    # The script sends one value per chosen code; a repeated one counts once.
    form = Form(data=_multi(["90910000", "90911000", "90910000"]))
    assert form.is_valid(), form.errors
    assert [code.code for code in form.cleaned_data["several"]] == expected
    html = str(form["several"])
    assert 'value="90910000-9 Usługi sprzątania; 90911000-6 Usługi sprzątania budynków"' in html
    assert "data-multiple" in html
    chosen = json.loads(re.search(r'data-chosen="([^"]*)"', html).group(1).replace("&quot;", '"'))
    assert [choice["value"] for choice in chosen] == expected


def test_each_wrong_one_of_several_is_named_and_nothing_is_lost(cleaning):
    form = clean(several="90910000; xyzzy; 90911000-5")
    errors = form.errors["several"]
    assert len(errors) == 2
    assert "„xyzzy”" in errors[0] and "90911000-6" in errors[1]
    assert 'value="90910000-9 Usługi sprzątania; xyzzy; 90911000-5"' in str(form["several"])


def test_an_initial_code_shows_as_the_code_and_its_name(cleaning):
    form = Form(initial={"cpv": "90910000", "several": ["90910000", "90911000"]})
    with CaptureQueriesContext(connection) as captured:
        single, several = str(form["cpv"]), str(form["several"])
    assert len(captured) == 2
    assert 'value="90910000-9 Usługi sprzątania"' in single
    assert "90911000-6 Usługi sprzątania budynków" in several


def _multi(values):
    from django.utils.datastructures import MultiValueDict

    return MultiValueDict({"several": values})


@pytest.mark.parametrize("value", ["a\x00b", "x" * 10_000, "9" * 40, "' OR 1=1 --", "NaN", "-1"])
def test_hostile_values_are_form_errors(cleaning, value):
    form = clean(cpv=value, several=value)
    assert not form.is_valid()
    assert set(form.errors) == {"cpv", "several"}
