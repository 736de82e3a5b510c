from django.urls import path

from . import views, views_awards, views_surveys
from .feeds import EventsFeed

app_name = "community"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event-list"),
    path("atom.xml", EventsFeed(), name="event-feed"),
    path("kalendarz.ics", views.EventICalView.as_view(), name="event-ical"),
    path("miesiac/<int:year>/<int:month>/", views.EventMonthView.as_view(), name="event-month"),
    path("nowe/", views.EventCreateView.as_view(), name="event-create"),
    path("moje-zapisy/", views.MyRegistrationsView.as_view(), name="my-registrations"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("<int:pk>/edycja/", views.EventUpdateView.as_view(), name="event-update"),
    path("<int:pk>/publikacja/", views.EventPublishView.as_view(), name="event-publish"),
    path("<int:pk>/odwolanie/", views.EventCancelView.as_view(), name="event-cancel"),
    path("<int:pk>/sprawozdanie/", views.EventReportView.as_view(), name="event-report"),
    path("<int:pk>/materialy/", views.MaterialAddView.as_view(), name="material-add"),
    path(
        "<int:pk>/materialy/<int:material_pk>/",
        views.MaterialDownloadView.as_view(),
        name="material-download",
    ),
    path(
        "<int:pk>/materialy/<int:material_pk>/usun/",
        views.MaterialRemoveView.as_view(),
        name="material-remove",
    ),
    path("<int:pk>/zapisy/", views.RegisterView.as_view(), name="event-register"),
    path("<int:pk>/uczestnicy/", views.ParticipantsView.as_view(), name="participants"),
    path(
        "<int:pk>/lista-obecnosci.<str:fmt>",
        views.AttendanceListView.as_view(),
        name="attendance-list",
    ),
    path(
        "zapisy/<int:pk>/rezygnacja/",
        views.RegistrationCancelView.as_view(),
        name="registration-cancel",
    ),
    path(
        "zapisy/<int:pk>/zaswiadczenie.pdf",
        views.CertificateView.as_view(),
        name="certificate",
    ),
    # Competence surveys (TORO).
    path("ankiety/", views_surveys.SurveyListView.as_view(), name="survey-list"),
    path("ankiety/nowa/", views_surveys.SurveyFormView.as_view(), name="survey-create"),
    path("ankiety/<int:pk>/", views_surveys.SurveyAnswerView.as_view(), name="survey-answer"),
    path("ankiety/<int:pk>/edycja/", views_surveys.SurveyFormView.as_view(), name="survey-update"),
    path(
        "ankiety/<int:pk>/termin/",
        views_surveys.SurveyDeadlineView.as_view(),
        name="survey-deadline",
    ),
    path(
        "ankiety/<int:pk>/publikacja/",
        views_surveys.SurveyPublishView.as_view(),
        name="survey-publish",
    ),
    path(
        "ankiety/<int:pk>/wyniki/", views_surveys.SurveyResultsView.as_view(), name="survey-results"
    ),
    path(
        "ankiety/<int:pk>/wyniki.<str:fmt>",
        views_surveys.SurveyExportView.as_view(),
        name="survey-export",
    ),
    path(
        "ankiety/<int:pk>/pytania/<int:question_pk>/szkolenie/",
        views_surveys.SurveyGapEventView.as_view(),
        name="survey-gap-event",
    ),
    # --- the President's award and the best product or service contest (views_awards) ---
    path("nagrody/", views_awards.AwardCallListView.as_view(), name="award-list"),
    path("nagrody/laureaci/", views_awards.LaureateListView.as_view(), name="laureate-list"),
    path("nagrody/nowy/", views_awards.AwardCallCreateView.as_view(), name="award-create"),
    path(
        "nagrody/moje-zgloszenia/",
        views_awards.MyNominationsView.as_view(),
        name="my-nominations",
    ),
    path("nagrody/<int:pk>/", views_awards.AwardCallDetailView.as_view(), name="award-detail"),
    path(
        "nagrody/<int:pk>/edycja/", views_awards.AwardCallUpdateView.as_view(), name="award-update"
    ),
    path("nagrody/<int:pk>/zgloszenie/", views_awards.NominateView.as_view(), name="nominate"),
    path("nagrody/<int:pk>/glos/", views_awards.VoteView.as_view(), name="award-vote"),
    path("nagrody/<int:pk>/jury/", views_awards.JuryView.as_view(), name="award-jury"),
    path(
        "nagrody/<int:pk>/wyniki/",
        views_awards.ResultsPublishView.as_view(),
        name="award-results",
    ),
    path(
        "nagrody/<int:pk>/zgloszenia/",
        views_awards.NominationsManageView.as_view(),
        name="award-nominations",
    ),
    path(
        "nagrody/<int:pk>/zgloszenia.<str:fmt>",
        views_awards.NominationsExportView.as_view(),
        name="nomination-export",
    ),
    path(
        "nagrody/zgloszenia/<int:pk>/",
        views_awards.NominationDetailView.as_view(),
        name="nomination-detail",
    ),
    path(
        "nagrody/zgloszenia/<int:pk>/wycofanie/",
        views_awards.NominationWithdrawView.as_view(),
        name="nomination-withdraw",
    ),
    path(
        "nagrody/zgloszenia/<int:pk>/listy/<int:letter_pk>/",
        views_awards.LetterDownloadView.as_view(),
        name="letter-download",
    ),
]
