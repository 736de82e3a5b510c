"""Input of the event pages and its messages; the services check the rules again."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import Organisation
from pestor.forms import ModelChoiceField, coordinate_field

from .models import Event
from .services import MAX_PARTICIPANTS, PARTNERSHIP_REFUSED

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_SPEAKERS = 30


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )


class EventForm(forms.Form):
    publisher = forms.ChoiceField(
        label=_("Published by"),
        help_text=_("The municipality whose calendar it joins, or your organisation."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    programme = forms.CharField(
        label=_("Programme"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: headings (##), lists (-), **bold**, links."),
    )
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    venue = forms.CharField(label=_("Place (address)"), max_length=300, required=False)
    latitude = coordinate_field("latitude")
    longitude = coordinate_field("longitude")
    online_url = forms.URLField(
        label=_("Online link"), max_length=500, required=False, assume_scheme="https"
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Event.Audience.choices)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=100_000)
    registration_deadline = _datetime_field(_("Registration until"))
    accessibility = forms.CharField(
        label=_("Accessibility"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Step-free entrance, induction loop, sign language interpreter, parking …"),
    )
    public_task = forms.CharField(
        label=_("Public task or problem it is about"), max_length=300, required=False
    )
    speakers = forms.CharField(
        label=_("Speakers"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "One per line: name | topic | NIP or KRS of their organisation in the directory "
            "(the last two optional), e.g. Anna Nowak | Spółdzielnie socjalne | 8790001234."
        ),
    )

    partnership = forms.ChoiceField(
        label=_("Organised by the partnership"),
        required=False,
        help_text=_(
            "A partnership your organisation is an active member of: the event is listed on "
            "its page. Publish the event as that organisation."
        ),
    )

    def __init__(self, *args, publishers, partnerships=(), **kwargs):
        """``partnerships``: (id, name, the ids of the publishing organisations that are its
        active members) the event may be organised by (partnerships' selectors)."""
        super().__init__(*args, **kwargs)
        self.publishers = publishers
        self.fields["publisher"].choices = [
            (key, label) for key, (label, _obj) in publishers.items()
        ]
        self.partnerships = {str(pk): members for pk, _name, members in partnerships}
        self.offers_partnerships = bool(self.partnerships)
        self.fields["partnership"].choices = [("", _("none"))] + [
            (str(pk), name) for pk, name, _members in partnerships
        ]

    def clean_partnership(self):
        value = self.cleaned_data["partnership"]
        return int(value) if value else None

    def clean_publisher(self):
        return self.publishers[self.cleaned_data["publisher"]][1]

    def _sensible(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(
                _("Give a date between the years %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return value

    def clean_starts_at(self):
        return self._sensible("starts_at")

    def clean_ends_at(self):
        return self._sensible("ends_at")

    def clean_registration_deadline(self):
        return self._sensible("registration_deadline")

    def clean_speakers(self):
        lines = [line for line in self.cleaned_data["speakers"].splitlines() if line.strip()]
        if len(lines) > MAX_SPEAKERS:
            raise ValidationError(_("At most %(limit)d speakers.") % {"limit": MAX_SPEAKERS})
        speakers, numbers = [], []
        for line in lines:
            parts = [part.strip() for part in line.split("|")]
            name = parts[0][:200]
            if not name:
                raise ValidationError(_("Each line must start with the speaker's name."))
            topic = parts[1][:300] if len(parts) > 1 else ""
            number = re.sub(r"\D", "", parts[2]) if len(parts) > 2 else ""
            if len(parts) > 2 and parts[2] and len(number) != 10:
                raise ValidationError(
                    _("“%(entry)s” is not a NIP or KRS number (10 digits).")
                    % {"entry": parts[2][:40]}
                )
            speakers.append({"name": name, "topic": topic, "number": number})
            if number:
                numbers.append(number)
        found = {}
        if numbers:
            for organisation in Organisation.objects.filter(
                Q(nip__in=numbers) | Q(krs__in=numbers), status=Organisation.Status.VERIFIED
            ).only("pk", "nip", "krs", "name"):
                found[organisation.nip] = found[organisation.krs] = organisation
        missing = [number for number in numbers if number not in found]
        if missing:
            raise ValidationError(
                _("No verified organisation has the NIP or KRS number %(numbers)s.")
                % {"numbers": ", ".join(missing)}
            )
        for speaker in speakers:
            speaker["organisation"] = found.get(speaker.pop("number"))
        return speakers

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        deadline = cleaned.get("registration_deadline")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        if deadline and ends and deadline > ends:
            self.add_error(
                "registration_deadline", _("Registration must close before the event ends.")
            )
        if not cleaned.get("venue") and not cleaned.get("online_url"):
            self.add_error("venue", _("Give the place of the event or its online link."))
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("latitude", _("Give both the latitude and the longitude, or neither."))
        partnership, publisher = cleaned.get("partnership"), cleaned.get("publisher")
        if partnership is not None and "publisher" in cleaned:
            members = self.partnerships.get(str(partnership), frozenset())
            if not isinstance(publisher, Organisation) or publisher.pk not in members:
                self.add_error("partnership", PARTNERSHIP_REFUSED)
        return cleaned


def speakers_text(speakers) -> str:
    """Speakers as the lines the form takes back."""
    lines = []
    for speaker in speakers:
        number = ""
        if speaker.organisation is not None:
            number = speaker.organisation.nip or speaker.organisation.krs
        parts = [speaker.name, speaker.topic, number] if number else [speaker.name, speaker.topic]
        lines.append(" | ".join(parts).rstrip(" |"))
    return "\n".join(lines)


class RegistrationForm(forms.Form):
    myself = forms.BooleanField(label=_("Register myself"), required=False, initial=True)
    colleagues = forms.CharField(
        label=_("Colleagues"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("One per line: name and e-mail, e.g. Jan Kowalski jan@example.org."),
    )
    organisation = ModelChoiceField(
        label=_("On behalf of"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("none (privately)"),
    )

    def __init__(self, *args, user, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["organisation"].queryset = organisations

    def clean_colleagues(self):
        people = []
        for line in self.cleaned_data["colleagues"].splitlines():
            line = line.strip()
            if not line:
                continue
            *name, email = line.replace("<", " ").replace(">", " ").replace(",", " ").split()
            name = " ".join(name).strip()
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(
                    _("“%(line)s”: write the colleague's name and then their e-mail address.")
                    % {"line": line[:80]}
                ) from None
            if not name:
                raise ValidationError(
                    _("“%(line)s”: the colleague's name is missing.") % {"line": line[:80]}
                )
            people.append((name[:200], email))
        if len(people) > MAX_PARTICIPANTS:
            raise ValidationError(
                _("At most %(limit)d people in one registration.") % {"limit": MAX_PARTICIPANTS}
            )
        return people

    def clean(self):
        cleaned = super().clean()
        participants = list(cleaned.get("colleagues") or [])
        if cleaned.get("myself"):
            participants.insert(0, (self.user.display_name, self.user.email))
        if "colleagues" in cleaned and not participants:
            raise ValidationError(_("Tick “Register myself” or name at least one colleague."))
        cleaned["participants"] = participants
        return cleaned


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to everyone registered)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("Report"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "What was discussed and agreed, who does what next. Markdown: headings (##), "
            "lists (-), **bold**, links."
        ),
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, ODT or PPTX, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.odt,.pptx,application/pdf"}),
    )
