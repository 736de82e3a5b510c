from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="organisation-list"),
    path("mapa/", views.OrganisationMapView.as_view(), name="organisation-map"),
    path(
        "mapa/punkty.geojson", views.OrganisationGeoJsonView.as_view(), name="organisation-geojson"
    ),
    path("zarejestruj/", views.OrganisationRegisterView.as_view(), name="organisation-register"),
    path("eksport.<str:fmt>", views.OrganisationExportView.as_view(), name="organisation-export"),
    path("weryfikacja/", views.VerificationQueueView.as_view(), name="verification-queue"),
    path(
        "weryfikacja/eksport.<str:fmt>",
        views.VerificationQueueExportView.as_view(),
        name="verification-queue-export",
    ),
    path(
        "weryfikacja/zmiana-danych/<int:pk>/",
        views.LegalChangeReviewView.as_view(),
        name="legal-change-review",
    ),
    path(
        "zaproszenie/<invitation_token:token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path("<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("<slug:slug>/edytuj/", views.OrganisationEditView.as_view(), name="organisation-edit"),
    path(
        "<slug:slug>/dane-rejestrowe/",
        views.LegalChangeView.as_view(),
        name="legal-change",
    ),
    path(
        "<slug:slug>/dane-rejestrowe/wycofaj/",
        views.LegalChangeWithdrawView.as_view(),
        name="legal-change-withdraw",
    ),
    path(
        "<slug:slug>/czlonkowie/",
        views.OrganisationMembersView.as_view(),
        name="organisation-members",
    ),
    path(
        "<slug:slug>/zalozyciele/",
        views.OrganisationFoundersView.as_view(),
        name="organisation-founders",
    ),
    path(
        "<slug:slug>/zalozyciele/<int:pk>/usun/",
        views.FounderRemoveView.as_view(),
        name="founder-remove",
    ),
    path(
        "<slug:slug>/czlonkowie/<int:pk>/usun/",
        views.MemberRemoveView.as_view(),
        name="member-remove",
    ),
    path(
        "<slug:slug>/czlonkowie/<int:pk>/rola/",
        views.MemberRoleView.as_view(),
        name="member-role",
    ),
    path(
        "<slug:slug>/decyzja/",
        views.OrganisationDecisionView.as_view(),
        name="organisation-decision",
    ),
    path(
        "<slug:slug>/dezaktywuj/",
        views.OrganisationDeactivateView.as_view(),
        name="organisation-deactivate",
    ),
    path(
        "<slug:slug>/aktywuj/",
        views.OrganisationReactivateView.as_view(),
        name="organisation-reactivate",
    ),
    path(
        "<slug:slug>/zawies/",
        views.OrganisationSuspendView.as_view(),
        name="organisation-suspend",
    ),
    path(
        "<slug:slug>/przywroc/",
        views.OrganisationRestoreView.as_view(),
        name="organisation-restore",
    ),
    path(
        "<slug:slug>/potwierdz-dane/",
        views.OrganisationConfirmDataView.as_view(),
        name="organisation-confirm-data",
    ),
    path(
        "<slug:slug>/historia/",
        views.OrganisationHistoryView.as_view(),
        name="organisation-history",
    ),
]
