"""No input gives a server error: every field of every form, every filter of every list and every
text parameter of every URL, fed hostile values as each role that uses it, answers below 500.

The views are discovered, not listed. The demo (``load_demo``) is loaded once for the module and
each role of it crawls the portal from every page that needs no parameter, following the links
and the forms' actions it is shown; each URL pattern is fetched at least once per role that can
reach it, so a new view is covered as soon as some page links to it. A pattern no page links to
(a link that only travels by e-mail) is reached from ``seed_urls``; a pattern reached by
nobody fails ``test_every_view_is_reached``, so it cannot go untested by accident.

For each form found (deduplicated by its action and fields, fuzzed as the first role in
``ROLE_ORDER`` that is shown it), every value of ``HOSTILE_VALUES`` is sent in one request in
every field at once (each field is validated on its own, so each meets every value), and each
of ``DEEP_VALUES``, the values a field may accept and pass on, in each field alone while the
other fields keep valid-looking values; then the whole form with every field sent twice, as a
JSON body, as plain text, and with a text file in each file input. Each search or filter form
(method GET) and each list view gets the same in its parameters and in ``page``, ``sort``,
``ordering`` and ``o``. One request per value, never combinations of values: the module stays
within a few minutes. The admin's changelists get them in ``q``,
``o``, ``p`` and each parameter of their filter links.

A failure names the URL, the role, the field and the value, and the exception the view raised.
Run it on PostgreSQL too (``DATABASE_URL=postgres://…``): PostgreSQL refuses a NUL byte in any
string it is sent, SQLite stores it.
"""

import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urljoin, urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.views.generic.list import MultipleObjectMixin
from PIL import Image

from demand.models import (
    Answer,
    ConsortiumPartner,
    DemandNotice,
    NoticeAttachment,
    NoticeQuestion,
)
from directory.models import Organisation, OrganisationInvitation, OrganisationMembership
from equipment_bank.models import Resource, ResourceAttachment, ResourcePhoto
from exchange.models import Offer, OfferPhoto
from grants.models import AnalysisPdf, StrategyArea
from grants.models import Competition as GrantCompetition
from grants.models import Offer as GrantOffer
from monitoring.models import Report
from partnerships import demo as partnerships_demo
from pestor import demo
from pestor.models import StaffInvitation, User
from premises import services as premises_services
from premises.models import Premises, PremisesCall, PremisesPhoto, VacancyAlert
from scoring.models import Panel
from tests.directory.factories import OrganisationFactory
from tests.factories import activate_totp
from tests.scoring.factories import hostile_seed as scoring_seed

HOSTILE_VALUES = [
    "a\x00b",  # PostgreSQL refuses a NUL byte in any string
    "NaN",
    "Infinity",
    "-Infinity",
    "1e999999999",  # finite, but overflows every rounding
    "-1",
    "9" * 40,  # beyond every integer column
    "x" * 10_000,
    "Ꭺ𝔄а中",  # Cherokee, mathematical Fraktur, Cyrillic, Han
    "\u202egnp.exe",  # right-to-left override
    "2026-02-30",
    "99999-01-01",
    "0001-01-01T00:00",  # before the epoch of every time zone conversion
    "' OR 1=1 --",
]
# The values that can pass a field's own validation (text that is text) and so reach the code
# behind the form: each is also sent to each field alone, with the other fields left valid.
DEEP_VALUES = ["NaN", "1e999999999", "9" * 40, "x" * 10_000, "Ꭺ𝔄а中\u202egnp.exe"]
QUERY_EXTRAS = ("page", "sort", "ordering", "o")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# The roles of the demo, in the order in which they are asked to fuzz a form they are shown:
# the role a form is made for comes before the administrator, who is shown nearly everything.
ROLE_ORDER = [
    ("official", demo.OFFICIAL_TORUN.email),
    ("monitoring member", demo.MONITORING.email),
    ("PES owner", demo.PES_OWNER.email),
    ("PES editor", demo.PES_EDITOR.email),
    ("pending PES owner", demo.PENDING_OWNER.email),
    ("business buyer", demo.BUSINESS_BUYER.email),
    ("resident", demo.RESIDENT.email),
    ("anonymous", None),
    ("local administrator", demo.LOCAL_ADMIN_TORUN.email),
    ("admin", demo.ADMIN.email),
    # A lender's staff member (partnerships.demo): products, decisions, loans, repayments.
    ("lender", partnerships_demo.FUND_STAFF[0]),
]
# Roles that must use two-step verification: their accounts get the authenticator app, as
# they would at their first sign-in, or every page would send them to set it up.
TWO_STEP_ROLES = ("local administrator", "admin")

# Patterns left out, each with its reason.
EXCLUDED_PATTERNS = {
    # Serves the public upload folder from disk (development only); the file name is a path,
    # which Django's static ``serve`` checks itself.
    "<media>": "development-only file serving, not a portal view",
    # The same: public uploads served by Django when SERVE_MEDIA is on; the path is checked
    # against the names the portal writes (tests/pestor/test_media.py sends it bad paths).
    "public-media": "development-only file serving, tested in tests/pestor/test_media.py",
}
# Forms not posted, each with its reason.
NOT_POSTED = {
    # Ends the crawler's session; its only field is ``next``, which allauth validates.
    "account_logout": "ends the session the other requests run in",
}
# How many URLs of one pattern each role fetches while crawling, from each pattern that links
# to it and in all: enough to meet the objects each page leads to (the official's drafts from
# "my notices", the open notices from the public list), few enough to stay quick.
VISITS_PER_REFERRER = 4
VISITS_PER_PATTERN = 10


# --- the URL patterns --------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name", or "<media>" for the unnamed one
    route: str
    converters: dict = field(default_factory=dict, hash=False, compare=False)


def url_patterns() -> list[Pattern]:
    found = []

    def walk(resolver, prefix, namespace, converters):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            entry_converters = {**converters, **getattr(entry.pattern, "converters", {})}
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, route, inner, entry_converters)
            elif isinstance(entry, URLPattern):
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                found.append(Pattern(name or "<media>", route, entry_converters))

    walk(get_resolver(), "/", None, {})
    return found


PATTERNS = [p for p in url_patterns() if not p.name.startswith("admin:")]
PORTAL_PATTERN_NAMES = sorted({p.name for p in PATTERNS} - set(EXCLUDED_PATTERNS))


def pattern_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or "<media>"


# --- reading pages -----------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "select-multiple", "textarea"
    value: str | list = ""
    options: list = field(default_factory=list)
    required: bool = False


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: dict = field(default_factory=dict)  # name -> Field
    page: str = ""

    def signature(self):
        return (pattern_name(self.action), self.method, tuple(sorted(self.fields)))


class PageParser(HTMLParser):
    """Links and forms of a page, as a browser would submit them."""

    def __init__(self, url):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.links = []
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def _absolute(self, href):
        return urljoin(self.url, href or self.url)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.links.append(self._absolute(attrs["href"]))
        elif tag == "form":
            self._form = Form(
                action=self._absolute(attrs.get("action")),
                method=(attrs.get("method") or "get").lower(),
                multipart="multipart" in (attrs.get("enctype") or ""),
                page=self.url,
            )
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._option(attrs)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "button" and (attrs.get("type") or "submit") == "submit":
            self._button(attrs)
        elif tag == "select":
            kind = "select-multiple" if "multiple" in attrs else "select"
            self._select = self._form.fields.setdefault(
                attrs["name"],
                Field(
                    attrs["name"],
                    kind,
                    [] if kind == "select-multiple" else "",
                    [],
                    "required" in attrs,
                ),
            )
        elif tag == "textarea":
            self._textarea = self._form.fields.setdefault(
                attrs["name"], Field(attrs["name"], "textarea", "", [], "required" in attrs)
            )

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def _input(self, attrs):
        name, kind = attrs["name"], (attrs.get("type") or "text").lower()
        value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
        if kind in ("submit", "image", "reset", "button"):
            if kind == "submit":
                self._button(attrs)
            return
        existing = self._form.fields.get(name)
        if kind in ("checkbox", "radio"):
            if existing is None:
                existing = self._form.fields[name] = Field(name, kind, [], [], "required" in attrs)
            existing.options.append(value)
            if "checked" in attrs:
                existing.value.append(value)
            return
        if existing is None:
            self._form.fields[name] = Field(name, kind, value, [], "required" in attrs)

    def _button(self, attrs):
        name = attrs["name"]
        existing = self._form.fields.setdefault(name, Field(name, "submit", [], []))
        existing.options.append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def _option(self, attrs):
        value = attrs.get("value", "")
        self._select.options.append(value)
        if "selected" in attrs:
            if self._select.kind == "select-multiple":
                self._select.value.append(value)
            else:
                self._select.value = value


def parse(url, html):
    parser = PageParser(url)
    parser.feed(html)
    return parser


# --- valid-looking values ----------------------------------------------------------------------


def plausible(form_field: Field):
    """What a person would leave in or type into the field."""
    now = timezone.localtime() + timedelta(days=30)
    if form_field.kind in ("checkbox", "select-multiple"):
        return list(form_field.value)
    if form_field.kind == "radio":
        return form_field.value[:1] or form_field.options[:1]
    if form_field.kind == "submit":
        return form_field.options[:1]
    if form_field.kind == "select":
        if form_field.value:
            return form_field.value
        return next((option for option in form_field.options if option), "")
    if form_field.kind == "file":
        return None
    if form_field.value:
        return form_field.value
    return {
        "number": "1",
        "date": now.date().isoformat(),
        "datetime-local": now.strftime("%Y-%m-%dT%H:%M"),
        "email": "fuzz@example.org",
        "url": "https://example.org",
        "tel": "+48 600 000 000",
        "hidden": "",
        "password": "",
    }.get(form_field.kind, "Test")


def form_data(form: Form, **overrides) -> list[tuple[str, str]]:
    pairs = []
    for name, form_field in form.fields.items():
        value = overrides.get(name, plausible(form_field))
        if value is None:
            continue
        for single in value if isinstance(value, list) else [value]:
            pairs.append((name, single))
    return pairs


# --- the crawl ---------------------------------------------------------------------------------


@dataclass
class Site:
    clients: dict  # role -> Client
    users: dict  # role -> User or None
    pages: dict = field(default_factory=lambda: defaultdict(list))  # pattern -> [(role, url)]
    forms: dict = field(default_factory=dict)  # signature -> (role, Form)
    lists: dict = field(default_factory=dict)  # pattern -> (role, url)
    errors: list = field(default_factory=list)
    media: object = None

    def client(self, role) -> Client:
        """The role's client, signed in again (a request may have ended the session)."""
        client = self.clients[role]
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client


def failure(method, url, role, response, **detail) -> str:
    exc = getattr(response, "exc_info", None)
    cause = f"{exc[0].__name__}: {str(exc[1])[:200]}" if exc else ""
    where = ", ".join(f"{key}={value!r:.80}" for key, value in detail.items())
    where = f" ({where})" if where else ""
    return f"{method} {url[:200]} as {role}{where} → {response.status_code} {cause}"


def add_files() -> None:
    """What the demo has no files for: an attachment of a published notice and of an answer,
    a photo of an offer, each of the PES owner's organisation or open to it, and a photo and a
    manual of a resource of the equipment bank."""
    owner_organisation = Organisation.objects.get(memberships__user__email=demo.PES_OWNER.email)
    answer = Answer.objects.filter(
        organisation=owner_organisation,
        notice__status=DemandNotice.Status.PUBLISHED,
        notice__answers_deadline__gt=timezone.now(),
    ).first()
    NoticeAttachment.objects.create(
        notice=answer.notice,
        title="Opis przedmiotu zamówienia",
        file=ContentFile(PDF, name="opz.pdf"),
    )
    answer.attachment = ContentFile(PDF, name="oferta.pdf")
    answer.save(update_fields=["attachment"])
    image = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(image, "PNG")
    OfferPhoto.objects.create(
        offer=Offer.objects.filter(organisation=owner_organisation).first(),
        image=ContentFile(image.getvalue(), name="zdjecie.png"),
        alt_text="Obiad w stołówce",
    )
    # A photo and a manual of one of the city's resources (the Toruń official manages them).
    resource = bank_resource_of_official()
    ResourcePhoto.objects.create(
        resource=resource,
        image=ContentFile(image.getvalue(), name="zdjecie.png"),
        alt_text="Sprzęt",
    )
    ResourceAttachment.objects.create(
        resource=resource, title="Instrukcja", file=ContentFile(PDF, name="instrukcja.pdf")
    )
    # A photo and a plan of one of Toruń's premises (its officials remove and replace them).
    premises = Premises.objects.filter(municipality__slug=demo.TORUN.slug).order_by("pk").first()
    PremisesPhoto.objects.create(
        premises=premises,
        image=ContentFile(image.getvalue(), name="lokal.png"),
        alt_text="Wejście do lokalu",
    )
    premises.plan = ContentFile(PDF, name="plan.pdf")
    premises.save(update_fields=["plan"])


def bank_resource_of_official():
    """The first resource of the equipment bank that the Toruń official manages."""
    return (
        Resource.objects.filter(owner__department__officials__user__email=demo.OFFICIAL_TORUN.email)
        .order_by("name", "pk")
        .first()
    )


def seed_urls() -> list[str]:
    """Pages only an e-mail links to: an open invitation, a consortium partner's confirmation,
    an e-mail confirmation and a password reset of the resident; and pages deep in a list."""
    owner_organisation = Organisation.objects.get(memberships__user__email=demo.PES_OWNER.email)
    unconfirmed = ConsortiumPartner.objects.filter(confirmed_at__isnull=True).first()
    invitation = OrganisationInvitation.objects.create(
        organisation=owner_organisation, email=demo.RESIDENT.email
    )
    resident = User.objects.get(email=demo.RESIDENT.email)
    address = EmailAddress.objects.get_or_create(
        user=resident, email=resident.email, defaults={"verified": False}
    )[0]
    # States the demo has none of, so that every view a role may use has a link to follow: a
    # partner the PES owner acts for, an unanswered question to the Toruń official, a
    # deactivated organisation of the owner, a finished and a failed report of the programme,
    # and a municipality's invitation.
    owner = User.objects.get(email=demo.PES_OWNER.email)
    OrganisationMembership.objects.get_or_create(
        organisation=unconfirmed.organisation, user=owner, defaults={"role": "editor"}
    )
    official = User.objects.get(email=demo.OFFICIAL_TORUN.email)
    asked_notice = (
        DemandNotice.objects.filter(
            status=DemandNotice.Status.PUBLISHED,
            department__officials__user=official,
            answers_deadline__gt=timezone.now(),
        )
        .order_by("pk")
        .first()
    )
    NoticeQuestion.objects.create(
        notice=asked_notice,
        organisation=owner_organisation,
        asked_by=owner,
        question="Czy można dostarczyć w dwóch partiach?",
    )
    deactivated = OrganisationFactory(seat_municipality=owner_organisation.seat_municipality)
    Organisation.objects.filter(pk=deactivated.pk).update(
        status=Organisation.Status.DEACTIVATED,
        status_before_deactivation=Organisation.Status.VERIFIED,
    )
    OrganisationMembership.objects.create(organisation=deactivated, user=owner, role="owner")
    suspended = Organisation.objects.filter(status=Organisation.Status.SUSPENDED).first()
    published = Report.objects.filter(published_at__isnull=False).first()
    finished = Report.objects.create(
        programme=published.programme,
        kind=Report.Kind.PROGRESS,
        period_start=published.period_start,
        period_end=published.period_end,
        file=published.file.name,
        status=Report.Status.DONE,
        requested_by=published.requested_by,
    )
    failed = Report.objects.create(
        programme=published.programme,
        kind=Report.Kind.PROGRESS,
        period_start=published.period_start,
        period_end=published.period_end,
        status=Report.Status.FAILED,
        error="Przerwane w teście.",
        requested_by=published.requested_by,
    )
    local_admin = User.objects.get(email=demo.LOCAL_ADMIN_TORUN.email)
    staff_invitation = StaffInvitation.objects.create(
        municipality=local_admin.local_admin_memberships.get().municipality,
        kind=StaffInvitation.Kind.MONITORING,
        email=demo.RESIDENT.email,
        invited_by=local_admin,
    )
    # The bank's pages of a resource with a photo (its manager removes it) and of a room (a PES
    # books it every week), which the catalogue's first page may not list.
    room = Resource.objects.filter(kind=Resource.Kind.ROOM).order_by("pk").first()
    # Beside the demo's premises committees, a panel of the test-only consumer
    # (tests/scoring/consumer), chaired by the Toruń official, with the PES owner on it.
    scoring_urls = scoring_seed(manager=local_admin, chair=official, member=owner)
    # The premises with a photo and a plan, which the first pages of the map's table may not
    # reach within the visits a pattern gets.
    pictured = Premises.objects.filter(photos__isnull=False).order_by("pk").first()
    # The card after funding of a funded offer not yet verified, whose PES the owner helps.
    funded = GrantOffer.objects.filter(status="funded", card_verified_at__isnull=True).first()
    OrganisationMembership.objects.get_or_create(
        organisation=funded.organisation, user=owner, defaults={"role": "editor"}
    )
    # An offer called to supplement a formal gap (its PES, which the owner helps, changes it)
    # and one still to be checked (the official calls its PES to supplement it).
    called = GrantOffer.objects.filter(formal_status="supplement").first()
    OrganisationMembership.objects.get_or_create(
        organisation=called.organisation, user=owner, defaults={"role": "editor"}
    )
    unchecked = GrantOffer.objects.filter(
        formal_status="pending", competition=called.competition
    ).first()
    # The cost-benefit analyses' PDFs, built (their pages link the download).
    decided = GrantCompetition.objects.filter(status="decided").first()
    area = StrategyArea.objects.filter(strategy__municipality=decided.municipality).first()
    for subject in ({"competition": decided}, {"area": area}):
        AnalysisPdf.objects.create(**subject, status="done", file=published.file.name)
    # A premises call waiting for its decision, whose committee has scored: its criteria and
    # members page, the ranking beside the decision form, and the committee's panel.
    scored_call = PremisesCall.objects.get(
        status=PremisesCall.Status.PUBLISHED, closes_at__lt=timezone.now()
    )
    scored_panel = Panel.objects.get(
        owner_type__app_label="premises", owner_id=scored_call.pk, status=Panel.Status.OPEN
    )
    # The link in a vacancy alert's e-mails that withdraws it.
    alert_link = premises_services.unsubscribe_url(VacancyAlert.objects.order_by("pk").first())
    return [
        alert_link[alert_link.index("/lokale/") :],
        reverse("premises:policy-update", args=[demo.TORUN.slug]),
        reverse("premises:call-committee", args=[scored_call.pk]),
        reverse("premises:call-decide", args=[scored_call.pk]),
        scored_panel.get_absolute_url(),
        reverse("scoring:panel-results", args=[scored_panel.pk]),
        *scoring_urls,
        reverse("grants:offer-card", args=[funded.pk]),
        reverse("grants:offer-supplement", args=[called.pk]),
        reverse("grants:offer-call-supplement", args=[unchecked.pk]),
        reverse("grants:competition-analysis-download", args=[decided.pk]),
        reverse("grants:area-analysis-download", args=[area.pk]),
        pictured.get_absolute_url(),
        reverse("premises:premises-photos", args=[pictured.pk]),
        bank_resource_of_official().get_absolute_url(),
        room.get_absolute_url(),
        deactivated.get_absolute_url(),
        suspended.get_absolute_url(),
        asked_notice.get_absolute_url(),
        finished.get_absolute_url(),
        failed.get_absolute_url(),
        reverse("pestor:invitation-accept", args=[staff_invitation.token]),
        reverse("directory:invitation-accept", args=[invitation.token]),
        reverse("demand:partner-confirm", args=[unconfirmed.pk]),
        reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key]),
        reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(resident),
                "key": default_token_generator.make_token(resident),
            },
        ),
    ]


def start_urls(seeds) -> list[str]:
    starts = []
    for pattern in PATTERNS:
        if pattern.name in EXCLUDED_PATTERNS or pattern.converters or "(?P<" in pattern.route:
            continue
        starts.append(reverse(pattern.name))
    return starts + list(seeds)


def crawl(site: Site, role: str, starts) -> None:
    visits = defaultdict(int)
    queue = [(url, None) for url in starts]
    seen = set()
    client = site.client(role)
    while queue:
        url, referrer = queue.pop(0)
        parts = urlsplit(url)
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.netloc not in ("", "testserver") or url in seen:
            continue
        name = pattern_name(parts.path)
        if name is None or name in EXCLUDED_PATTERNS or name.startswith("admin:"):
            continue
        if name in NOT_POSTED or visits[name] >= VISITS_PER_PATTERN:
            continue
        if visits[name, referrer] >= VISITS_PER_REFERRER:
            continue
        seen.add(url)
        visits[name] += 1
        visits[name, referrer] += 1
        response = client.get(url)
        if response.status_code >= 500:
            site.errors.append(failure("GET", url, role, response))
            continue
        site.pages[name].append((role, url, response.status_code))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        match = resolve(parts.path)
        view_class = getattr(match.func, "view_class", None)
        if view_class and issubclass(view_class, MultipleObjectMixin):
            site.lists.setdefault(name, (role, parts.path))
        page = parse(parts.path, response.content.decode())
        for form in page.forms:
            site.forms.setdefault(form.signature(), (role, form))
        links = page.links + [form.action for form in page.forms if form.method == "get"]
        queue.extend((link, name) for link in links)
        # POST-only views (publish, archive…) are reached as their forms' actions.
        for form in page.forms:
            action_name = pattern_name(urlsplit(form.action).path)
            if form.method == "post" and action_name:
                site.pages[action_name].append((role, urlsplit(form.action).path, "form"))


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once and crawled by every role, rolled back after the module; each test
    runs in its own savepoint, so what it posts is undone before the next."""
    media = tmp_path_factory.mktemp("hostile-media")
    quick = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=media / "public",
        PRIVATE_MEDIA_ROOT=media / "private",
        ACCOUNT_RATE_LIMITS=False,
    )
    with django_db_blocker.unblock(), quick, transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        add_files()
        seeds = seed_urls()
        users = {role: email and User.objects.get(email=email) for role, email in ROLE_ORDER}
        for role in TWO_STEP_ROLES:
            activate_totp(users[role])
        clients = {role: Client(raise_request_exception=False) for role, _email in ROLE_ORDER}
        site = Site(clients=clients, users=users, media=media)
        starts = start_urls(seeds)
        for role, _email in ROLE_ORDER:
            crawl(site, role, starts)
        yield site
        transaction.set_rollback(True)


# --- the tests ---------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_media(site, settings):
    """The files the fixture wrote stay where the views look for them."""
    settings.MEDIA_ROOT = site.media / "public"
    settings.PRIVATE_MEDIA_ROOT = site.media / "private"


def test_every_role_is_shown_pages(site):
    shown = {role for pages in site.pages.values() for role, _url, status in pages if status == 200}
    assert shown == {role for role, _email in ROLE_ORDER}


def test_no_page_fails_while_crawling(site):
    assert not site.errors, "\n".join(site.errors)


@pytest.mark.parametrize("name", PORTAL_PATTERN_NAMES)
def test_every_view_is_reached(site, name):
    """Each URL pattern is met by the crawl (or excluded above with a reason): a view nobody
    reaches would not be fuzzed."""
    assert site.pages.get(name), (
        f"No role reached {name}: link it from a page, or add a URL to seed_urls()."
    )


def _post_forms(site, name):
    return [
        (role, form)
        for (action, method, _fields), (role, form) in site.forms.items()
        if action == name and method == "post"
    ]


def _get_forms(site, name):
    return [
        (role, form)
        for (action, method, _fields), (role, form) in site.forms.items()
        if action == name and method == "get"
    ]


def _post(client, form: Form, pairs, *, multipart=None):
    url = urlsplit(form.action).path + (
        "?" + urlsplit(form.action).query if urlsplit(form.action).query else ""
    )
    if multipart if multipart is not None else form.multipart:
        data = defaultdict(list)
        for key, value in pairs:
            data[key].append(value)
        return client.post(url, data)
    return client.post(url, urlencode(pairs), content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("name", [n for n in PORTAL_PATTERN_NAMES if n not in NOT_POSTED])
def test_hostile_form_values_give_no_server_error(site, name):
    failures = []
    for role, form in _post_forms(site, name):
        client = site.client(role)
        fields = [n for n, f in form.fields.items() if n != "csrfmiddlewaretoken"]
        for value in HOSTILE_VALUES:
            response = _post(client, form, form_data(form, **dict.fromkeys(fields, value)))
            if response.status_code >= 500:
                failures.append(
                    failure("POST", form.action, role, response, field="*", value=value)
                )
        for field_name in fields:
            for value in DEEP_VALUES:
                response = _post(client, form, form_data(form, **{field_name: value}))
                if response.status_code >= 500:
                    failures.append(
                        failure("POST", form.action, role, response, field=field_name, value=value)
                    )
        # Every field twice, the second time hostile.
        pairs = form_data(form) + [(n, "NaN") for n in fields]
        response = _post(client, form, pairs)
        if response.status_code >= 500:
            failures.append(failure("POST", form.action, role, response, field="*", value="twice"))
        # Bodies of the wrong kind.
        action = urlsplit(form.action).path
        for content_type, body in [
            ("application/json", json.dumps(dict(form_data(form)))),
            ("text/plain", "a\x00b=NaN&" + "x" * 1000),
        ]:
            response = client.post(action, body, content_type=content_type)
            if response.status_code >= 500:
                failures.append(failure("POST", action, role, response, content_type=content_type))
        files = [n for n, f in form.fields.items() if f.kind == "file"]
        if files:
            data = defaultdict(list)
            for key, value in form_data(form):
                data[key].append(value)
            for file_field in files:
                data[file_field] = [
                    SimpleUploadedFile("photo.png", b"not an image at all", "image/png"),
                    SimpleUploadedFile("a\x00b.pdf", b"%PDF-not really", "application/pdf"),
                ]
            response = client.post(action, data)
            if response.status_code >= 500:
                failures.append(failure("POST", action, role, response, field=files, value="text"))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", PORTAL_PATTERN_NAMES)
def test_hostile_query_parameters_give_no_server_error(site, name):
    failures = []
    targets = []
    for role, form in _get_forms(site, name):
        params = [n for n in form.fields if n != "csrfmiddlewaretoken"]
        targets.append((role, urlsplit(form.action).path, params))
    if name in site.lists:
        role, path = site.lists[name]
        targets.append((role, path, []))
    for role, path, params in targets:
        client = site.client(role)
        names = list(dict.fromkeys([*params, *QUERY_EXTRAS]))
        for value in HOSTILE_VALUES:
            response = client.get(path, dict.fromkeys(names, value))
            if response.status_code >= 500:
                failures.append(failure("GET", path, role, response, param="*", value=value))
        for param in names:
            for value in DEEP_VALUES:
                response = client.get(path, {param: value})
                if response.status_code >= 500:
                    failures.append(failure("GET", path, role, response, param=param, value=value))
            response = client.get(path, {param: ["1", "NaN"]})
            if response.status_code >= 500:
                failures.append(failure("GET", path, role, response, param=param, value="twice"))
    assert not failures, "\n".join(failures)


# Converters whose values cannot carry hostile text; any other parameter of a path is text.
NON_TEXT_CONVERTERS = ("IntConverter", "SlugConverter", "UUIDConverter")


@pytest.mark.parametrize(
    "name",
    [
        p.name
        for p in PATTERNS
        if p.name not in EXCLUDED_PATTERNS
        and (
            "(?P<" in p.route
            or any(type(c).__name__ not in NON_TEXT_CONVERTERS for c in p.converters.values())
        )
    ],
)
def test_hostile_text_in_the_url_gives_no_server_error(site, name):
    """Parameters of the path that are text (tokens, keys) get the hostile values too."""
    failures = []
    for role, url, _status in site.pages.get(name, [])[:1]:
        match = resolve(url)
        client = site.client(role)
        for key in match.kwargs:
            for value in HOSTILE_VALUES:
                if "/" in value:
                    continue
                hostile = url.replace(str(match.kwargs[key]), quote(value, safe=""), 1)
                for method in ("get", "post"):
                    response = getattr(client, method)(hostile)
                    if response.status_code >= 500:
                        failures.append(
                            failure(method.upper(), hostile, role, response, kwarg=key, value=value)
                        )
    assert site.pages.get(name), f"No role reached {name}"
    assert not failures, "\n".join(failures)


# --- the admin ---------------------------------------------------------------------------------

ADMIN_MODELS = sorted(
    f"{model._meta.app_label}.{model._meta.model_name}" for model in admin.site._registry
)


class _FilterLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.params = set()

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("?"):
            self.params.update(
                key for key, _sep, _value in (p.partition("=") for p in href[1:].split("&")) if key
            )


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_hostile_admin_changelist_parameters_give_no_server_error(site, model):
    app_label, model_name = model.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    client = site.client("admin")
    response = client.get(url)
    assert response.status_code == 200, failure("GET", url, "admin", response)
    links = _FilterLinks()
    links.feed(response.content.decode())
    failures = []
    for param in sorted({"q", "o", "p", *links.params}):
        for value in HOSTILE_VALUES:
            response = client.get(url, {param: value})
            if response.status_code >= 500:
                failures.append(failure("GET", url, "admin", response, param=param, value=value))
    assert not failures, "\n".join(failures)
