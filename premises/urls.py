from django.urls import path

from . import views
from .feeds import CallsFeed

app_name = "premises"

urlpatterns = [
    path("", views.PremisesListView.as_view(), name="premises-list"),
    path("punkty.geojson", views.PremisesGeoJsonView.as_view(), name="premises-geojson"),
    path("nowy/", views.PremisesCreateView.as_view(), name="premises-create"),
    path("<int:pk>/", views.PremisesDetailView.as_view(), name="premises-detail"),
    path("<int:pk>/edycja/", views.PremisesUpdateView.as_view(), name="premises-update"),
    path("<int:pk>/status/", views.PremisesStatusView.as_view(), name="premises-status"),
    path("<int:pk>/plan.pdf", views.PremisesPlanView.as_view(), name="premises-plan"),
    path("<int:pk>/zdjecia/", views.PremisesPhotosView.as_view(), name="premises-photos"),
    path(
        "<int:pk>/zdjecia/<int:photo_pk>/usun/",
        views.PremisesPhotoRemoveView.as_view(),
        name="premises-photo-remove",
    ),
    path("<int:pk>/umowa/", views.LeaseCreateView.as_view(), name="lease-create"),
    path("zasady/", views.PolicyListView.as_view(), name="policy-list"),
    path("zasady/<slug:slug>/", views.PolicyDetailView.as_view(), name="policy-detail"),
    path("zasady/<slug:slug>/edycja/", views.PolicyUpdateView.as_view(), name="policy-update"),
    path("nabory/", views.CallListView.as_view(), name="call-list"),
    path("nabory/atom.xml", CallsFeed(), name="call-feed"),
    path("nabory/nowy/", views.CallCreateView.as_view(), name="call-create"),
    path("nabory/<int:pk>/", views.CallDetailView.as_view(), name="call-detail"),
    path("nabory/<int:pk>/edycja/", views.CallUpdateView.as_view(), name="call-update"),
    path("nabory/<int:pk>/publikacja/", views.CallPublishView.as_view(), name="call-publish"),
    path("nabory/<int:pk>/komisja/", views.CallCommitteeView.as_view(), name="call-committee"),
    path("nabory/<int:pk>/decyzja/", views.CallDecideView.as_view(), name="call-decide"),
    path(
        "nabory/<int:pk>/wniosek/", views.ApplicationCreateView.as_view(), name="application-create"
    ),
    path("wnioski/", views.MyApplicationsView.as_view(), name="my-applications"),
    path("wnioski/<int:pk>/", views.ApplicationDetailView.as_view(), name="application-detail"),
    path(
        "wnioski/<int:pk>/wycofanie/",
        views.ApplicationWithdrawView.as_view(),
        name="application-withdraw",
    ),
    path(
        "wnioski/<int:pk>/dokumenty/<int:document_pk>/",
        views.ApplicationDocumentView.as_view(),
        name="application-document",
    ),
    path("alerty/", views.AlertListView.as_view(), name="alert-list"),
    path(
        "alerty/wypisz/<str:token>/",
        views.AlertUnsubscribeView.as_view(),
        name="alert-unsubscribe",
    ),
    path("alerty/<int:pk>/usun/", views.AlertDeleteView.as_view(), name="alert-delete"),
    path("umowy/", views.LeaseListView.as_view(), name="lease-list"),
    path("umowy/<int:pk>/", views.LeaseDetailView.as_view(), name="lease-detail"),
    path("umowy/<int:pk>/waloryzacja/", views.LeaseIndexView.as_view(), name="lease-index"),
    path("umowy/<int:pk>/zakonczenie/", views.LeaseEndView.as_view(), name="lease-end"),
    path(
        "umowy/<int:pk>/sprawozdanie/<int:year>/",
        views.ReportCreateView.as_view(),
        name="report-create",
    ),
    path("wsparcie/", views.SupportTotalsView.as_view(), name="support-totals"),
    path("wsparcie/eksport.<str:fmt>", views.SupportExportView.as_view(), name="support-export"),
    path("sprawozdania/", views.ReportQueueView.as_view(), name="report-queue"),
    path("sprawozdania/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("wyniki/", views.ResultsView.as_view(), name="results"),
    path("wyniki/dane.geojson", views.ResultsGeoJsonView.as_view(), name="results-geojson"),
    path("wyniki/dane.<str:fmt>", views.ResultsExportView.as_view(), name="results-export"),
]
