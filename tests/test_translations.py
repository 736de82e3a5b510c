"""The gettext catalogues in locale/: complete, consistent with the sources, compiled, and used.

Polish is the portal's default language, so an untranslated string shows up in English to every
resident. These tests fail when a string is added without being translated, when a translation
drops or invents a placeholder, and when the committed .mo file lags behind its .po file.
"""

import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PL_PO = LOCALE_DIR / "pl" / "LC_MESSAGES" / "django.po"
POLISH_PLURAL_FORMS = (
    "nplurals=3; plural=(n==1 ? 0 : (n%10>=2 && n%10<=4) && (n%100<12 || n%100>14) ? 1 : 2);"
)
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))

# %(name)s, %(count)d, %%, and {name} / {0} / {} (str.format style).
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%%|\{\w*\}")

# Passed to makemessages, as in the documented command (the Makefile's `make messages`).
IGNORED_WHEN_EXTRACTING = [".venv", "node_modules", "staticfiles", "tests"]


def _active(po):
    return [entry for entry in po if not entry.obsolete]


def _label(entry):
    return repr(entry.msgid[:70])


def _placeholders(text):
    return Counter(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def pl_po():
    return polib.pofile(str(PL_PO))


def test_the_catalogues_exist():
    assert PL_PO.exists()
    assert (LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po").exists()
    for po_path in CATALOGUES:
        assert po_path.with_suffix(".mo").exists(), f"{po_path} is not compiled"


def test_polish_header(pl_po):
    assert pl_po.metadata["Language"] == "pl"
    assert "charset=UTF-8" in pl_po.metadata["Content-Type"]
    assert pl_po.metadata["Plural-Forms"] == POLISH_PLURAL_FORMS
    assert not pl_po.metadata_is_fuzzy


def test_polish_catalogue_has_no_untranslated_or_fuzzy_entries(pl_po):
    untranslated = [_label(entry) for entry in _active(pl_po) if not entry.translated()]
    fuzzy = [_label(entry) for entry in _active(pl_po) if "fuzzy" in entry.flags]
    assert not untranslated, f"untranslated in {PL_PO}: " + ", ".join(untranslated)
    assert not fuzzy, f"fuzzy in {PL_PO}: " + ", ".join(fuzzy)


def test_every_polish_plural_has_three_forms(pl_po):
    incomplete = [
        _label(entry)
        for entry in _active(pl_po)
        if entry.msgid_plural
        and (sorted(entry.msgstr_plural) != [0, 1, 2] or not all(entry.msgstr_plural.values()))
    ]
    assert not incomplete, "plural entries without msgstr[0..2]: " + ", ".join(incomplete)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.relative_to(LOCALE_DIR)))
def test_translations_keep_the_placeholders(po_path):
    wrong = []
    for entry in _active(polib.pofile(str(po_path))):
        if entry.msgid_plural:
            expected = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural)
            translations = [text for text in entry.msgstr_plural.values() if text]
        else:
            expected = _placeholders(entry.msgid)
            translations = [entry.msgstr] if entry.msgstr else []
        for text in translations:
            found = _placeholders(text)
            if found != expected:
                wrong.append(f"{_label(entry)}: expected {dict(expected)}, got {dict(found)}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def _pairs(catalogue):
    """What a program reading the .mo sees: every translated message and its translation."""
    pairs = set()
    for entry in catalogue:
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
            pairs.add((entry.msgctxt, entry.msgid, entry.msgid_plural, forms))
        else:
            pairs.add((entry.msgctxt, entry.msgid, None, entry.msgstr))
    return pairs


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: str(path.relative_to(LOCALE_DIR)))
def test_committed_mo_is_up_to_date(po_path):
    compiled = polib.mofile(polib.pofile(str(po_path)).to_binary())
    committed = polib.mofile(str(po_path.with_suffix(".mo")))
    stale = _pairs(compiled) ^ _pairs(committed)
    assert not stale, (
        f"{po_path.with_suffix('.mo')} differs from its .po in {len(stale)} messages; "
        "run `python manage.py compilemessages --ignore=.venv --ignore=node_modules`"
    )
    for key in ("Plural-Forms", "Content-Type", "Language"):
        assert committed.metadata.get(key) == compiled.metadata.get(key), key


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_every_string_in_the_sources_is_in_the_catalogue(pl_po, tmp_path, monkeypatch, settings):
    """makemessages, run on a copy of the sources, finds no message the committed .po lacks."""
    source = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(
        source,
        copy,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            *IGNORED_WHEN_EXTRACTING, ".git", "locale", "media", "__pycache__", "*.sqlite3*"
        ),
    )
    (copy / "locale").mkdir()
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages", locale=["pl"], ignore_patterns=IGNORED_WHEN_EXTRACTING, verbosity=0
    )
    extracted = polib.pofile(str(copy / "locale" / "pl" / "LC_MESSAGES" / "django.po"))
    known = {(entry.msgctxt, entry.msgid) for entry in _active(pl_po)}
    missing = [_label(entry) for entry in extracted if (entry.msgctxt, entry.msgid) not in known]
    assert not missing, (
        "strings missing from locale/pl (run makemessages and translate them): "
        + ", ".join(missing)
    )


@pytest.mark.parametrize(
    ("english", "polish"),
    [
        ("Sign in", "Zaloguj się"),
        ("Create an account", "Załóż konto"),
        ("PES directory", "Baza PES"),
        ("Accessibility statement", "Deklaracja dostępności"),
    ],
)
def test_polish_is_served(english, polish):
    with translation.override("pl"):
        assert translation.gettext(english) == polish
    with translation.override("en"):
        assert translation.gettext(english) == english


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 miejsce"),
        (2, "2 miejsca"),
        (4, "4 miejsca"),
        (5, "5 miejsc"),
        (12, "12 miejsc"),
        (14, "14 miejsc"),
        (22, "22 miejsca"),
        (25, "25 miejsc"),
        (0, "0 miejsc"),
    ],
)
def test_polish_plural_forms_in_a_template(count, expected):
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} place"
        "{% plural %}{{ counter }} places{% endblocktranslate %}"
    )
    with translation.override("pl"):
        assert template.render(Context({"n": count})) == expected


@pytest.mark.django_db
def test_home_page_is_in_polish_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="pl">' in html
    for text in ("Zaloguj się", "Załóż konto", "Baza PES", "Deklaracja dostępności"):
        assert text in html
    assert "Sign in" not in html
