from django.urls import path

from . import views
from .feeds import CompetitionsFeed

app_name = "grants"

urlpatterns = [
    path("", views.CompetitionListView.as_view(), name="competition-list"),
    path("atom.xml", CompetitionsFeed(), name="competition-feed"),
    path(
        "otwarte-dane/dotacje-360giving.<str:fmt>",
        views.OpenDataView.as_view(),
        name="awarded-grants-data",
    ),
    path("nowy/", views.CompetitionCreateView.as_view(), name="competition-create"),
    path("<int:pk>/", views.CompetitionDetailView.as_view(), name="competition-detail"),
    path("<int:pk>/edycja/", views.CompetitionUpdateView.as_view(), name="competition-update"),
    path(
        "<int:pk>/ogloszenie/", views.CompetitionPublishView.as_view(), name="competition-publish"
    ),
    path("<int:pk>/ranking/", views.RankingView.as_view(), name="competition-ranking"),
    path("<int:pk>/analiza/", views.AnalysisView.as_view(), name="competition-analysis"),
    path(
        "<int:pk>/analiza/pdf/",
        views.AnalysisPdfOrderView.as_view(subject="competition"),
        name="competition-analysis-pdf",
    ),
    path(
        "<int:pk>/analiza.pdf",
        views.AnalysisPdfDownloadView.as_view(subject="competition"),
        name="competition-analysis-download",
    ),
    path("<int:pk>/wyniki.<str:fmt>", views.ResultsExportView.as_view(), name="results-export"),
    path("<int:pk>/oferta/", views.OfferCreateView.as_view(), name="offer-create"),
    path("oferty/", views.MyOffersView.as_view(), name="my-offers"),
    path("oferty/<int:pk>/", views.OfferDetailView.as_view(), name="offer-detail"),
    path("oferty/<int:pk>/edycja/", views.OfferUpdateView.as_view(), name="offer-update"),
    path("oferty/<int:pk>/wycofaj/", views.OfferWithdrawView.as_view(), name="offer-withdraw"),
    path("oferty/<int:pk>/karta/", views.OfferCardView.as_view(), name="offer-card"),
    path(
        "oferty/<int:pk>/karta/weryfikacja/",
        views.OfferCardVerifyView.as_view(),
        name="offer-card-verify",
    ),
    path("oferty/<int:pk>/ocena-formalna/", views.OfferCheckView.as_view(), name="offer-check"),
    path(
        "oferty/<int:pk>/wezwanie-do-uzupelnienia/",
        views.OfferCallSupplementView.as_view(),
        name="offer-call-supplement",
    ),
    path(
        "oferty/<int:pk>/uzupelnienie/",
        views.OfferSupplementView.as_view(),
        name="offer-supplement",
    ),
    path(
        "oferty/<int:pk>/zalaczniki/<int:document_pk>/",
        views.OfferDocumentView.as_view(),
        name="offer-document",
    ),
    path("strategie/", views.StrategyListView.as_view(), name="strategy-list"),
    path("strategie/nowa/", views.StrategyCreateView.as_view(), name="strategy-create"),
    path("strategie/<int:pk>/", views.StrategyDetailView.as_view(), name="strategy-detail"),
    path(
        "strategie/<int:pk>/edycja/",
        views.StrategyPartView.as_view(part="strategy"),
        name="strategy-update",
    ),
    path(
        "strategie/<int:pk>/obszar/",
        views.StrategyPartView.as_view(part="area", new=True),
        name="area-create",
    ),
    path("obszary/<int:pk>/", views.StrategyPartView.as_view(part="area"), name="area-update"),
    path("obszary/<int:pk>/analiza/", views.AreaAnalysisView.as_view(), name="area-analysis"),
    path(
        "obszary/<int:pk>/analiza/pdf/",
        views.AnalysisPdfOrderView.as_view(subject="area"),
        name="area-analysis-pdf",
    ),
    path(
        "obszary/<int:pk>/analiza.pdf",
        views.AnalysisPdfDownloadView.as_view(subject="area"),
        name="area-analysis-download",
    ),
    path(
        "obszary/<int:pk>/cel/",
        views.StrategyPartView.as_view(part="goal", new=True),
        name="goal-create",
    ),
    path("cele/<int:pk>/", views.StrategyPartView.as_view(part="goal"), name="goal-update"),
    path(
        "cele/<int:pk>/rezultat/",
        views.StrategyPartView.as_view(part="outcome", new=True),
        name="outcome-create",
    ),
    path(
        "rezultaty/<int:pk>/", views.StrategyPartView.as_view(part="outcome"), name="outcome-update"
    ),
]
