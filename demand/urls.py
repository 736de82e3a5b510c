from django.urls import path

from . import views
from .feeds import NewNoticesFeed

app_name = "demand"

urlpatterns = [
    path("", views.NoticeListView.as_view(), name="notice-list"),
    path("eksport.<str:fmt>", views.NoticeExportView.as_view(), name="notice-export"),
    path("wyniki/", views.ResultListView.as_view(), name="result-list"),
    path("wyniki/eksport.<str:fmt>", views.ResultExportView.as_view(), name="result-export"),
    path("nowe/", views.NoticeCreateView.as_view(), name="notice-create"),
    path("moje/", views.MyNoticesView.as_view(), name="my-notices"),
    path("dla-nas/", views.MatchedNoticesView.as_view(), name="matched-notices"),
    path("moje-odpowiedzi/", views.MyAnswersView.as_view(), name="my-answers"),
    path("kanal.atom", NewNoticesFeed(), name="feed"),
    path("<int:pk>/", views.NoticeDetailView.as_view(), name="notice-detail"),
    path("<int:pk>/edytuj/", views.NoticeEditView.as_view(), name="notice-edit"),
    path(
        "<int:pk>/odpowiedzi/eksport.<str:fmt>",
        views.AnswerExportView.as_view(),
        name="answer-export",
    ),
    path("<int:pk>/klauzule/", views.ClauseCheckView.as_view(), name="notice-clause-check"),
    path("<int:pk>/publikuj/", views.NoticePublishView.as_view(), name="notice-publish"),
    path("<int:pk>/termin/", views.NoticeExtendDeadlineView.as_view(), name="notice-extend"),
    path("<int:pk>/korekta/", views.NoticeCorrectView.as_view(), name="notice-correct"),
    path("<int:pk>/pytania/nowe/", views.QuestionAskView.as_view(), name="question-ask"),
    path("pytania/<int:pk>/odpowiedz/", views.QuestionAnswerView.as_view(), name="question-answer"),
    path("<int:pk>/anuluj/", views.NoticeCancelView.as_view(), name="notice-cancel"),
    path("<int:pk>/rozstrzygnij/", views.NoticeAwardView.as_view(), name="notice-award"),
    path(
        "<int:pk>/rozeznanie-rynku.pdf", views.NoticeNotePdfView.as_view(), name="notice-note-pdf"
    ),
    path("<int:pk>/odpowiedz/", views.AnswerCreateView.as_view(), name="answer-create"),
    path("zalaczniki/<int:pk>/", views.NoticeAttachmentView.as_view(), name="attachment-download"),
    path("odpowiedzi/<int:pk>/edytuj/", views.AnswerEditView.as_view(), name="answer-edit"),
    path(
        "odpowiedzi/<int:pk>/wycofaj/", views.AnswerWithdrawView.as_view(), name="answer-withdraw"
    ),
    path(
        "odpowiedzi/<int:pk>/zalacznik/",
        views.AnswerAttachmentView.as_view(),
        name="answer-attachment",
    ),
    path(
        "konsorcjum/<int:pk>/potwierdz/",
        views.PartnerConfirmView.as_view(),
        name="partner-confirm",
    ),
    path(
        "konsorcjum/<int:pk>/odmow/",
        views.PartnerDeclineView.as_view(),
        name="partner-decline",
    ),
]
