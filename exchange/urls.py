from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.OfferListView.as_view(), name="offer-list"),
    path("eksport.<str:fmt>", views.OfferExportView.as_view(), name="offer-export"),
    path("cpv/podpowiedzi/", views.CpvSuggestionsView.as_view(), name="cpv-suggestions"),
    path("oferty/<int:pk>/", views.OfferDetailView.as_view(), name="offer-detail"),
    path("oferty/<int:pk>/edytuj/", views.OfferEditView.as_view(), name="offer-edit"),
    path("oferty/<int:pk>/archiwizuj/", views.OfferArchiveView.as_view(), name="offer-archive"),
    path("oferty/<int:pk>/przywroc/", views.OfferReactivateView.as_view(), name="offer-reactivate"),
    path("oferty/<int:pk>/usun/", views.OfferDeleteView.as_view(), name="offer-delete"),
    path("oferty/<int:pk>/zdjecia/", views.OfferPhotosView.as_view(), name="offer-photos"),
    path(
        "oferty/<int:pk>/zdjecia/<int:photo_pk>/usun/",
        views.OfferPhotoRemoveView.as_view(),
        name="offer-photo-remove",
    ),
    path("oferty/<int:pk>/zapytaj/", views.InquiryCreateView.as_view(), name="inquiry-create"),
    path(
        "organizacja/<slug:slug>/",
        views.OrganisationOfferListView.as_view(),
        name="organisation-offers",
    ),
    path(
        "organizacja/<slug:slug>/nowa-oferta/",
        views.OfferCreateView.as_view(),
        name="offer-create",
    ),
    path("zapytania/", views.InboxView.as_view(), name="inbox"),
    path("zapytania/<int:pk>/", views.InquiryDetailView.as_view(), name="inquiry-detail"),
    path("zapytania/<int:pk>/zamknij/", views.InquiryCloseView.as_view(), name="inquiry-close"),
]
