from django.urls import path, register_converter

from . import views
from .converters import InvitationTokenConverter

register_converter(InvitationTokenConverter, "invitation_token")

app_name = "directory"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="organisation-list"),
    path("mapa/", views.OrganisationMapView.as_view(), name="organisation-map"),
    path("zarejestruj/", views.OrganisationRegisterView.as_view(), name="organisation-register"),
    path("weryfikacja/", views.VerificationQueueView.as_view(), name="verification-queue"),
    path(
        "zaproszenie/<invitation_token:token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path("<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("<slug:slug>/edytuj/", views.OrganisationEditView.as_view(), name="organisation-edit"),
    path(
        "<slug:slug>/czlonkowie/",
        views.OrganisationMembersView.as_view(),
        name="organisation-members",
    ),
    path(
        "<slug:slug>/czlonkowie/<int:pk>/usun/",
        views.MemberRemoveView.as_view(),
        name="member-remove",
    ),
    path(
        "<slug:slug>/decyzja/",
        views.OrganisationDecisionView.as_view(),
        name="organisation-decision",
    ),
    path(
        "<slug:slug>/historia/",
        views.OrganisationHistoryView.as_view(),
        name="organisation-history",
    ),
]
