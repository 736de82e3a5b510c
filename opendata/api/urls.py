from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("organizacje/", views.OrganisationListView.as_view(), name="organisations"),
    path("oferty/", views.OfferListView.as_view(), name="offers"),
    path("ogloszenia/", views.NoticeListView.as_view(), name="notices"),
    path("wyniki/", views.ResultListView.as_view(), name="results"),
    path("wydarzenia/", views.EventListView.as_view(), name="events"),
    path("lokale/", views.PremisesListView.as_view(), name="premises"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar's static files, its script a file of its own
    # (the split view) and the page's template our own: no CDN, nothing inline for the
    # Content-Security-Policy to refuse.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="opendata/api_docs.html"
        ),
        name="docs",
    ),
]
