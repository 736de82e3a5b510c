"""The CPV picker's select: without JavaScript a plain select; each option tells the picker its
code, name, level and the names of the codes above it."""

import json
from html.parser import HTMLParser

import pytest

from exchange.forms import OfferForm
from exchange.models import CpvCode


class _Select(HTMLParser):
    """The select's attributes, and each option's attributes and text."""

    def __init__(self):
        super().__init__()
        self.attrs, self.options = {}, []

    def handle_starttag(self, tag, attrs):
        if tag == "select":
            self.attrs = dict(attrs)
        elif tag == "option":
            self.options.append({**dict(attrs), "text": ""})

    def handle_data(self, data):
        if self.options:
            self.options[-1]["text"] += data


@pytest.mark.django_db
def test_options_carry_their_place_in_the_tree(django_assert_max_num_queries):
    for code, name, curated in [
        ("90000000", "Usługi odbioru ścieków", True),
        ("90910000", "Usługi sprzątania", True),
        # Not offered, but still named in the path of the codes below it.
        ("90900000", "Usługi w zakresie sprzątania i odkażania", False),
        ("90911000", "Usługi sprzątania budynków", True),
    ]:
        CpvCode.objects.update_or_create(
            code=code, defaults={"name_pl": name, "name_en": "", "is_curated": curated}
        )

    form = OfferForm()
    form.fields["cpv"].queryset = form.fields["cpv"].queryset.filter(
        code__in=["90000000", "90910000", "90911000"]
    )
    with django_assert_max_num_queries(2):  # the choices, and the parents not among them
        html = str(form["cpv"])

    select = _Select()
    select.feed(html)
    assert "data-cpv-picker" in select.attrs
    options = {option["value"]: option for option in select.options if option["value"]}
    assert "90900000" not in options
    building = json.loads(options["90911000"]["data-data"])
    assert building == {
        "code": "90911000-6",
        "name": "Usługi sprzątania budynków",
        "level": 5,
        "path": "Usługi odbioru ścieków \u203a Usługi w zakresie sprzątania i odkażania"
        " \u203a Usługi sprzątania",
    }
    assert json.loads(options["90000000"]["data-data"])["path"] == ""
    # The label still shows the tree without JavaScript: indented under the division.
    assert options["90911000"]["text"].startswith("\u00a0" * 9 + "90911000-6")
