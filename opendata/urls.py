from django.urls import path, re_path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.CatalogueView.as_view(), name="catalogue"),
    re_path(r"^katalog\.(?P<fmt>rdf|jsonld)$", views.DcatView.as_view(), name="dcat"),
    path(
        "zamowienia-ocds-wydania/ostatnie.json",
        views.ReleasesSinceView.as_view(),
        name="releases-since",
    ),
    path(
        "wsparcie/organizacje/<slug:slug>.<str:fmt>",
        views.OrganisationLedgerExportView.as_view(),
        name="organisation-ledger-export",
    ),
    path("wsparcie/gminy/", views.LedgerFindView.as_view(), name="ledger-find"),
    path("wsparcie/gminy/<slug:slug>/", views.MunicipalityLedgerView.as_view(), name="ledger"),
    path(
        "wsparcie/gminy/<slug:slug>.<str:fmt>",
        views.MunicipalityLedgerExportView.as_view(),
        name="ledger-export",
    ),
    re_path(
        r"^(?P<dataset>[a-z0-9-]+)/(?P<variant>[a-z0-9]+)\.(?P<fmt>json|csv|xlsx|geojson)$",
        views.DatasetFileView.as_view(),
        name="file",
    ),
]
