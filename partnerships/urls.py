from django.urls import path

from .views import partnerships as views

app_name = "partnerships"

urlpatterns = [
    path("", views.PartnershipListView.as_view(), name="partnership-list"),
    path("eksport.<str:fmt>", views.PartnershipExportView.as_view(), name="partnership-export"),
    path("nowe/", views.PartnershipCreateView.as_view(), name="partnership-create"),
    path(
        "czlonkostwo/<int:pk>/decyzja/",
        views.MemberDecisionView.as_view(),
        name="member-decision",
    ),
    path("czlonkostwo/<int:pk>/wystapienie/", views.MemberLeaveView.as_view(), name="member-leave"),
    path("spotkania/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("spotkania/<int:pk>/edycja/", views.MeetingFormView.as_view(), name="meeting-update"),
    path("<slug:slug>/", views.PartnershipDetailView.as_view(), name="partnership-detail"),
    path("<slug:slug>/edycja/", views.PartnershipUpdateView.as_view(), name="partnership-update"),
    path("<slug:slug>/statut.pdf", views.CharterDownloadView.as_view(), name="charter"),
    path("<slug:slug>/czlonkowie/", views.MemberInviteView.as_view(), name="member-invite"),
    path(
        "<slug:slug>/czlonkowie.<str:fmt>", views.MemberExportView.as_view(), name="member-export"
    ),
    path("<slug:slug>/dolacz/", views.JoinRequestView.as_view(), name="join-request"),
    path(
        "<slug:slug>/odpowiedz-konsorcjum/",
        views.ConsortiumAnswerView.as_view(),
        name="consortium-answer",
    ),
    path("<slug:slug>/spotkania/", views.MeetingListView.as_view(), name="meeting-list"),
    path(
        "<slug:slug>/spotkania/nowe/",
        views.MeetingFormView.as_view(new=True),
        name="meeting-create",
    ),
]
