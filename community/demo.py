"""Demo data of the community: this year's Social Economy Forum with its programme and speakers
from demo PES, two trainings (one full, with a waiting list), a fair, a Laboratory session held
three weeks ago with its report and attendance, a past training with certificates, and a draft.
Everything goes through the services, as the officials and the PES would."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from directory.models import Organisation
from pestor.demo import DemoContext, plural

from . import awards_demo, services, surveys_demo
from .models import Event, Registration

FORUM_PROGRAMME = """## Część pierwsza: wyzwania miasta

- 10:00 Otwarcie: Prezydent Miasta Torunia
- 10:15 **Jak PES rozwiązują problemy publiczne**: opieka wytchnieniowa, catering dla szkół,
  utrzymanie zieleni

## Część druga: warsztaty

- 12:00 Zakupy społecznie odpowiedzialne w praktyce urzędu
- 13:30 Partnerstwa trójsektorowe: jak zacząć
- 15:00 Podsumowanie i wręczenie Nagrody Prezydenta
"""

LABORATORY_REPORT = """## Ustalenia

- Urząd przygotuje do końca kwartału wzór klauzul społecznych dla zamówień poniżej 130 000 zł.
- Spółdzielnie socjalne zgłoszą swoje oferty cateringu do Giełdy przed rozeznaniem rynku.

## Następne spotkanie

Za dwa miesiące: wnioski z pierwszych zamówień zastrzeżonych (art. 94 Pzp).
"""


# The smallest PDF a viewer opens: one empty page.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _people(context, count):
    people = []
    for _index in range(count):
        first, last = context.random_person()
        number = context.rng.randrange(10_000)
        people.append((f"{first} {last}", f"{first}.{last}.{number}@przyklad.example".lower()))
    return people


def _ascii(email: str) -> str:
    table = str.maketrans("ąćęłńóśźż", "acelnoszz")
    return email.translate(table)


def _register(event, actor, people, organisation=None, *, now):
    people = [(name, _ascii(email)) for name, email in people]
    return services.registration_create(
        event=event, actor=actor, participants=people, organisation=organisation, now=now
    )


def _event(context, actor, *, days_from_now, hours, organiser=None, municipality, **fields):
    start = context.day(days_ago=-days_from_now) + timedelta(hours=10)
    fields.setdefault("registration_deadline", start - timedelta(days=1))
    event = services.event_create(
        actor=actor,
        municipality=municipality,
        organiser=organiser,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        **fields,
    )
    return services.event_publish(event=event, actor=actor, now=event.created_at)


def load(context: DemoContext) -> str:
    torun = context.municipalities["torun"]
    official = context.accounts["official_torun"]
    monitoring = context.accounts["monitoring"]
    pes_owner = context.accounts["pes_owner"]
    resident = context.accounts["resident"]
    kasek = context.organisations.get("Smaczny Kąsek")
    verified = [
        organisation
        for organisation in context.organisations.values()
        if organisation.status == Organisation.Status.VERIFIED and organisation.nip
    ]
    speakers = [
        {
            "name": " ".join(context.random_person()),
            "topic": topic,
            "organisation": organisation,
        }
        for topic, organisation in zip(
            (
                "Catering społeczny dla szkół",
                "Opieka wytchnieniowa prowadzona przez spółdzielnię",
                "Zieleń miejska i zatrudnienie osób wykluczonych",
            ),
            verified[:3],
            strict=False,
        )
    ]
    speakers.append({"name": "Katarzyna Wiśniewska", "topic": "Zakupy społeczne w urzędzie"})
    now = context.now
    forum = _event(
        context,
        official,
        days_from_now=14,
        hours=7,
        municipality=torun,
        kind=Event.Kind.FORUM,
        title=f"Forum Ekonomii Społecznej {(now + timedelta(days=14)).year}",
        programme=FORUM_PROGRAMME,
        venue="Centrum Kulturalno-Kongresowe Jordanki, al. Solidarności 1-3, Toruń",
        latitude="53.010100",
        longitude="18.610300",
        audience=Event.Audience.EVERYONE,
        capacity=250,
        accessibility=(
            "Wejście bez schodów, pętla indukcyjna w sali głównej, tłumacz PJM na życzenie "
            "zgłoszone przy zapisie."
        ),
        public_task="Współpraca miasta z podmiotami ekonomii społecznej",
        speakers=speakers,
    )
    _register(forum, resident, [("Jan Kowalski", resident.email)], now=now)
    _register(forum, pes_owner, _people(context, 3), kasek, now=now)
    _register(forum, official, [("Katarzyna Wiśniewska", official.email)], now=now)

    training = _event(
        context,
        monitoring,
        days_from_now=9,
        hours=6,
        municipality=torun,
        kind=Event.Kind.TRAINING,
        title="Szkolenie: klauzule społeczne i zamówienia zastrzeżone (art. 94 i 96 Pzp)",
        programme="Dla urzędników i PES: kiedy zastrzec zamówienie, jak opisać klauzulę, "
        "rozeznanie rynku poniżej 130 000 zł.",
        venue="Urząd Miasta Torunia, ul. Wały gen. Sikorskiego 8, sala 101",
        latitude="53.010800",
        longitude="18.604900",
        audience=Event.Audience.EVERYONE,
        capacity=20,
        accessibility="Winda, toaleta dostępna na parterze.",
        public_task="Zamówienia społecznie odpowiedzialne",
    )
    _register(training, official, [("Katarzyna Wiśniewska", official.email)], now=now)
    _register(training, pes_owner, _people(context, 4), kasek, now=now)

    full = _event(
        context,
        official,
        days_from_now=6,
        hours=4,
        municipality=torun,
        kind=Event.Kind.TRAINING,
        title="Warsztat: księgowość spółdzielni socjalnej",
        programme="Praktyczny warsztat dla zarządów i księgowych spółdzielni socjalnych.",
        online_url="https://spotkania.torun.example/ksiegowosc",
        audience=Event.Audience.PES,
        capacity=4,
        public_task="Wsparcie rozwoju PES",
    )
    _register(full, pes_owner, [("Joanna Kowalczyk", pes_owner.email)], kasek, now=now)
    _register(full, pes_owner, _people(context, 3), kasek, now=now)
    _register(full, resident, [("Jan Kowalski", resident.email)], now=now)
    _register(full, official, _people(context, 1), now=now)

    fair = _event(
        context,
        official,
        days_from_now=28,
        hours=8,
        municipality=torun,
        kind=Event.Kind.FAIR,
        title="Targi Ekonomii Społecznej na Rynku Staromiejskim",
        programme="Stoiska spółdzielni socjalnych, fundacji i CIS: produkty, usługi, catering.",
        venue="Rynek Staromiejski, Toruń",
        latitude="53.010000",
        longitude="18.604400",
        audience=Event.Audience.EVERYONE,
        capacity=60,
        accessibility="Teren płaski, bruk; toalety dostępne w Ratuszu.",
    )
    _register(fair, pes_owner, _people(context, 2), kasek, now=now)

    if kasek is not None:
        open_day = _event(
            context,
            pes_owner,
            days_from_now=18,
            hours=3,
            municipality=kasek.seat_municipality,
            organiser=kasek,
            kind=Event.Kind.OTHER,
            title="Dzień otwarty spółdzielni Smaczny Kąsek",
            programme="Pokaz kuchni, degustacja i rozmowa o cateringu dla szkół i urzędów.",
            venue=f"{kasek.street}, {kasek.city}",
            audience=Event.Audience.EVERYONE,
            capacity=30,
            accessibility="Wejście z poziomu chodnika.",
        )
        _register(open_day, resident, [("Jan Kowalski", resident.email)], now=now)

    laboratory = services.event_create(
        actor=monitoring,
        municipality=torun,
        kind=Event.Kind.LABORATORY,
        title="Laboratorium Ekonomii Społecznej: klauzule społeczne w zamówieniach miasta",
        programme="Sesja dialogowa urzędników i PES: bariery w zamówieniach społecznych.",
        starts_at=context.day(days_ago=21) + timedelta(hours=12),
        ends_at=context.day(days_ago=21) + timedelta(hours=15),
        registration_deadline=context.day(days_ago=22),
        venue="Toruńskie Centrum Partnerstwa, ul. Szczytna 4",
        audience=Event.Audience.EVERYONE,
        capacity=25,
        public_task="Zamówienia społecznie odpowiedzialne",
    )
    services.event_publish(event=laboratory, actor=monitoring, now=context.day(days_ago=40))
    before = context.day(days_ago=30)
    created = _register(laboratory, pes_owner, _people(context, 4), kasek, now=before)
    created += _register(
        laboratory, official, [("Katarzyna Wiśniewska", official.email)], now=before
    )
    services.attendance_mark(
        event=laboratory,
        actor=monitoring,
        present={r.pk for r in created[:-2]} | {created[-1].pk},
        shown={r.pk for r in created},
    )
    services.report_publish(event=laboratory, actor=monitoring, report=LABORATORY_REPORT)
    services.material_add(
        event=laboratory,
        actor=monitoring,
        title="Prezentacja: klauzule społeczne w zamówieniach poniżej 130 000 zł",
        file=SimpleUploadedFile("prezentacja.pdf", PDF, content_type="application/pdf"),
    )

    past = services.event_create(
        actor=official,
        municipality=torun,
        kind=Event.Kind.STUDY_VISIT,
        title="Wizyta studyjna: Centrum Integracji Społecznej w Płocku",
        programme="Jak CIS współpracuje z gminą przy zamówieniach zastrzeżonych.",
        starts_at=context.day(days_ago=45) + timedelta(hours=8),
        ends_at=context.day(days_ago=45) + timedelta(hours=17),
        registration_deadline=context.day(days_ago=50),
        venue="Płock, ul. Kolegialna 15",
        audience=Event.Audience.OFFICIALS,
        capacity=15,
    )
    services.event_publish(event=past, actor=official, now=context.day(days_ago=70))
    visitors = _register(past, official, _people(context, 3), now=context.day(days_ago=60))
    services.attendance_mark(
        event=past,
        actor=official,
        present={r.pk for r in visitors},
        shown={r.pk for r in visitors},
    )
    services.event_create(
        actor=official,
        municipality=torun,
        kind=Event.Kind.CONSULTATION,
        title="Konsultacje programu współpracy na przyszły rok (projekt)",
        programme="Projekt: spotkanie konsultacyjne z organizacjami.",
        starts_at=context.day(days_ago=-40) + timedelta(hours=16),
        ends_at=context.day(days_ago=-40) + timedelta(hours=18),
        registration_deadline=context.day(days_ago=-39),
        venue="Urząd Miasta Torunia, sala sesyjna",
        audience=Event.Audience.EVERYONE,
        capacity=80,
    )
    surveys = surveys_demo.load(context)
    awards = awards_demo.load(context)
    events = Event.objects.count()
    registrations = Registration.objects.count()
    return ", ".join(
        [
            plural(events, "wydarzenie", "wydarzenia", "wydarzeń"),
            plural(registrations, "zapis", "zapisy", "zapisów"),
            surveys,
            awards,
        ]
    )
