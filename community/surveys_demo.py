"""Demo data of the competence surveys (called by ``community.demo.load``): last quarter's survey
of PES members and officials, closed, with results above the anonymity threshold for the PES (12
answers) and below it for Toruń's two officials (shown as suppressed), and a training created
from its largest gap; this month's survey, open, that the demo's PES owner and official have
not answered yet; and the team's draft of the next one. Answers go through the services."""

from datetime import timedelta

from directory.models import Organisation
from pestor.demo import DemoContext, plural

from . import surveys_selectors, surveys_services
from .surveys_models import RespondentGroup, Survey, SurveyQuestion

TOPICS = [
    "Zamówienia z klauzulami społecznymi",
    "Księgowość i sprawozdawczość",
    "Marketing i sprzedaż usług",
    "Pozyskiwanie dotacji",
    "Ochrona danych osobowych (RODO)",
]
FORMS = ["Stacjonarnie, w urzędzie", "Online", "Wizyta studyjna u innego PES"]
TEXTS = [
    "Więcej przykładów opisu przedmiotu zamówienia.",
    "Szkolenie z kalkulacji ceny usługi dla urzędu.",
    "Konsultacje indywidualne zamiast wykładu.",
    "Jak przygotować ofertę w rozeznaniu rynku.",
    "Warsztat z partnerstw z biznesem.",
    "Materiały po szkoleniu w formie listy kontrolnej.",
]


def _questions() -> list[dict]:
    return [
        {
            "kind": SurveyQuestion.Kind.SCALE,
            "text": "Jak bardzo potrzebujesz szkolenia: zamówienia z klauzulami społecznymi?",
        },
        {
            "kind": SurveyQuestion.Kind.SCALE,
            "text": "Jak bardzo potrzebujesz szkolenia: księgowość i sprawozdawczość PES?",
        },
        {
            "kind": SurveyQuestion.Kind.SINGLE,
            "text": "Jaka forma szkolenia odpowiada Ci najbardziej?",
            "choices": FORMS,
        },
        {
            "kind": SurveyQuestion.Kind.MULTIPLE,
            "text": "Które tematy chcesz poznać w przyszłym roku?",
            "choices": TOPICS,
        },
        {
            "kind": SurveyQuestion.Kind.TEXT,
            "text": "Czego jeszcze potrzebujesz, by lepiej współpracować z miastem?",
            "required": False,
        },
    ]


def _answers(context, questions, *, accounting_need) -> dict:
    rng = context.rng
    answers = {}
    for question in questions:
        if question.kind == SurveyQuestion.Kind.SCALE:
            high = accounting_need if "księgowość" in question.text else 3
            answers[question.pk] = str(min(5, max(1, high + rng.choice((-1, 0, 0, 1)))))
        elif question.kind == SurveyQuestion.Kind.SINGLE:
            answers[question.pk] = str(rng.randrange(len(question.choices)))
        elif question.kind == SurveyQuestion.Kind.MULTIPLE:
            answers[question.pk] = [
                str(index) for index in rng.sample(range(len(question.choices)), k=2)
            ]
        else:
            answers[question.pk] = rng.choice(TEXTS)
    return answers


def load(context: DemoContext) -> str:
    torun = context.municipalities["torun"]
    monitoring = context.accounts["monitoring"]
    demo_people = {context.accounts["pes_owner"].pk, context.accounts["official_torun"].pk}
    verified = {
        organisation.pk
        for organisation in context.organisations.values()
        if organisation.status == Organisation.Status.VERIFIED
    }
    pes_members = [
        owner
        for organisation_pk, owner in context.owners.items()
        if organisation_pk in verified and owner.pk not in demo_people
    ]
    officials = context.officials.get("torun", [])
    now = context.now

    past = surveys_services.survey_create(
        actor=monitoring,
        municipality=torun,
        title="Potrzeby szkoleniowe PES i urzędników (poprzedni kwartał)",
        introduction=(
            "Ankieta programu współpracy: na jej podstawie zespół monitorujący układa plan "
            "szkoleń na kolejny rok. Odpowiedzi są anonimowe."
        ),
        audience=Survey.Audience.BOTH,
        deadline=now + timedelta(days=1),
        questions=_questions(),
    )
    surveys_services.survey_publish(survey=past, actor=monitoring, now=now - timedelta(days=40))
    questions = surveys_selectors.survey_questions(survey=past)
    for member in pes_members[:12]:
        surveys_services.survey_answer(
            survey=past,
            actor=member,
            group=RespondentGroup.PES,
            answers=_answers(context, questions, accounting_need=5),
            now=now - timedelta(days=context.rng.randrange(15, 35)),
        )
    for official in officials:
        surveys_services.survey_answer(
            survey=past,
            actor=official,
            group=RespondentGroup.OFFICIALS,
            answers=_answers(context, questions, accounting_need=2),
            now=now - timedelta(days=20),
        )
    # The demo's clock moves on: the survey closed ten days ago.
    Survey.objects.filter(pk=past.pk).update(deadline=context.day(days_ago=10))
    gap = next(q for q in questions if "księgowość" in q.text)
    start = context.day(days_ago=-35) + timedelta(hours=9)
    surveys_services.gap_training_create(
        actor=monitoring,
        question=gap,
        municipality=torun,
        kind="training",
        title="Szkolenie: księgowość i sprawozdawczość PES (z ankiety potrzeb)",
        programme="Odpowiedź na lukę kompetencyjną wskazaną w ankiecie potrzeb szkoleniowych.",
        starts_at=start,
        ends_at=start + timedelta(hours=5),
        venue="Toruńskie Centrum Partnerstwa, ul. Szczytna 4",
        latitude=None,
        longitude=None,
        online_url="",
        audience="pes",
        capacity=25,
        registration_deadline=start - timedelta(days=2),
        accessibility="Winda, toaleta dostępna.",
        public_task="Wsparcie rozwoju PES",
    )

    current = surveys_services.survey_create(
        actor=monitoring,
        municipality=torun,
        title="Ankieta kompetencyjna: zamówienia społeczne",
        introduction="Krótka ankieta przed planem szkoleń: pięć pytań, kilka minut.",
        audience=Survey.Audience.BOTH,
        deadline=context.day(days_ago=-10) + timedelta(hours=16),
        questions=_questions(),
    )
    surveys_services.survey_publish(survey=current, actor=monitoring, now=now - timedelta(days=5))
    questions = surveys_selectors.survey_questions(survey=current)
    for member in pes_members[12:15]:
        surveys_services.survey_answer(
            survey=current,
            actor=member,
            group=RespondentGroup.PES,
            answers=_answers(context, questions, accounting_need=4),
            now=now - timedelta(days=2),
        )

    surveys_services.survey_create(
        actor=monitoring,
        municipality=torun,
        title="Ankieta: potrzeby urzędników w ekonomii społecznej (projekt)",
        audience=Survey.Audience.OFFICIALS,
        deadline=context.day(days_ago=-60),
        questions=_questions()[:2],
    )
    count = Survey.objects.count()
    return plural(count, "ankieta", "ankiety", "ankiet")
