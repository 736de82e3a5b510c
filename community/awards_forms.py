"""Input of the award's and the contests' pages and its messages; the services check the rules
again."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation
from pestor.forms import MultipleFileField

from .awards_models import AwardCall
from .forms import FIRST_YEAR, LAST_YEAR, _datetime_field


class AwardCallForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Municipality"))
    kind = forms.ChoiceField(label=_("Kind"), choices=AwardCall.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    category = forms.CharField(label=_("Category"), max_length=200)
    description = forms.CharField(
        label=_("Rules and description"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    nominations_until = _datetime_field(_("Nominations until"))
    laureate_places = forms.IntegerField(
        label=_("Laureates"),
        min_value=1,
        max_value=10,
        initial=1,
        help_text=_("How many of the best-scored nominations become laureates."),
    )
    public_vote = forms.BooleanField(
        label=_("Public vote (contests only)"),
        required=False,
        help_text=_("One vote per verified account, shown apart from the jury's score."),
    )
    votes_until = _datetime_field(_("Votes until"))

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = {str(m.pk): m for m in municipalities}
        self.fields["municipality"].choices = [
            (key, municipality.name) for key, municipality in self.municipalities.items()
        ]
        self.fields["votes_until"].required = False

    def clean_municipality(self):
        return self.municipalities[self.cleaned_data["municipality"]]

    def clean(self):
        cleaned = super().clean()
        for name in ("nominations_until", "votes_until"):
            value = cleaned.get(name)
            if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
                self.add_error(
                    name,
                    _("Give a date between the years %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
        return cleaned


def _organisation_by_reference(text: str) -> Organisation | None:
    """A verified organisation by its NIP, its KRS number or the address of its page."""
    text = text.strip()
    digits = re.sub(r"[\s-]", "", text)
    verified = Organisation.objects.filter(status=Organisation.Status.VERIFIED)
    if digits.isascii() and digits.isdigit() and len(digits) == 10:
        return verified.filter(Q(nip=digits) | Q(krs=digits)).order_by("pk").first()
    match = re.search(r"/([-a-z0-9]+)/?$", text) or re.fullmatch(r"([-a-z0-9]+)", text)
    if match:
        return verified.filter(slug=match.group(1)).first()
    return None


class NominationForm(forms.Form):
    """A new nomination: for the award an organisation of the directory (by its NIP, KRS or the
    address of its page) or a person; for a contest an offer of the exchange (by its number or
    address). Editing (``nomination``) keeps the nominee; a person's name may be corrected."""

    organisation = forms.CharField(
        label=_("Organisation from the directory"),
        required=False,
        max_length=300,
        help_text=_("Its NIP, KRS number or the address of its page in the directory."),
    )
    person_name = forms.CharField(
        label=_("Or a person (name and what they do)"), required=False, max_length=200
    )
    offer = forms.CharField(
        label=_("Product or service from the exchange"),
        max_length=300,
        help_text=_("The number of the offer or the address of its page in the exchange."),
    )
    on_behalf_of = forms.CharField(
        label=_("On behalf of (optional)"),
        required=False,
        max_length=200,
        help_text=_("The institution or organisation you nominate for, if any."),
    )
    justification = forms.CharField(
        label=_("Justification"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the nominee did and why it deserves the distinction."),
    )
    letters = MultipleFileField(
        label=_("Letters of support (PDF, optional)"),
        required=False,
        help_text=_("At most 5 PDF files of 10 MB each."),
    )

    def __init__(self, *args, call: AwardCall, nomination=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        editing = nomination is not None
        if call.is_contest or editing:
            del self.fields["organisation"]
        if call.is_contest or (editing and nomination.organisation_id is not None):
            del self.fields["person_name"]
        elif editing:
            self.fields["person_name"].label = _("Person")
            self.fields["person_name"].required = True
        if not call.is_contest or editing:
            del self.fields["offer"]

    def clean_organisation(self):
        text = self.cleaned_data["organisation"].strip()
        if not text:
            return None
        organisation = _organisation_by_reference(text)
        if organisation is None:
            raise ValidationError(
                _("No verified organisation of the directory has this NIP, KRS or address.")
            )
        return organisation

    def clean_offer(self):
        from exchange import selectors as exchange_selectors

        match = re.search(r"(\d{1,12})/?$", self.cleaned_data["offer"].strip())
        offer = None
        if match:
            offer = (
                exchange_selectors.offer_cards([int(match.group(1))])
                .select_related("organisation")
                .first()
            )
        if offer is None:
            raise ValidationError(_("No active offer of the exchange has this number or address."))
        return offer

    def clean(self):
        cleaned = super().clean()
        nominee_given = (cleaned.get("organisation") is not None, bool(cleaned.get("person_name")))
        if "organisation" in self.fields and not self.errors and len(set(nominee_given)) == 1:
            raise ValidationError(
                _("Nominate either an organisation of the directory or a person, not both.")
            )
        return cleaned


class VoteForm(forms.Form):
    nomination = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**62)

    def __init__(self, *args, call: AwardCall, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call

    def clean_nomination(self):
        nomination = self.call.nominations.filter(pk=self.cleaned_data["nomination"]).first()
        if nomination is None:
            raise ValidationError(_("This is not a nomination of the contest."))
        return nomination


class RemoveLettersForm(forms.Form):
    """Which of the nomination's letters to remove, when editing."""

    remove = forms.TypedMultipleChoiceField(
        label=_("Remove letters"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, letters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].choices = [(letter.pk, letter.name) for letter in letters]
