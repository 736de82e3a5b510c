from django.urls import path

from . import views

app_name = "equipment_bank"

urlpatterns = [
    path("", views.ResourceListView.as_view(), name="resource-list"),
    path("rezerwacje/eksport.<str:fmt>", views.BookingExportView.as_view(), name="booking-export"),
    path("zasoby/<int:pk>/", views.ResourceDetailView.as_view(), name="resource-detail"),
    path("zasoby/<int:pk>/rezerwuj/", views.BookingCreateView.as_view(), name="booking-create"),
    path("zasoby/<int:pk>/cyklicznie/", views.SeriesCreateView.as_view(), name="series-create"),
    path("zasoby/<int:pk>/zajetosc.ics", views.ResourceFeedView.as_view(), name="resource-feed"),
    path("zasoby/<int:pk>/zdjecia/", views.ResourcePhotosView.as_view(), name="resource-photos"),
    path(
        "zasoby/<int:pk>/zdjecia/<int:photo_pk>/usun/",
        views.ResourcePhotoRemoveView.as_view(),
        name="resource-photo-remove",
    ),
    path(
        "zasoby/<int:pk>/zalaczniki/<int:attachment_pk>/",
        views.ResourceAttachmentView.as_view(),
        name="resource-attachment",
    ),
    path("zestawy/<int:pk>/", views.KitDetailView.as_view(), name="kit-detail"),
    path("moje-rezerwacje/", views.MyBookingsView.as_view(), name="my-bookings"),
    path("rezerwacje/<int:pk>/", views.BookingDetailView.as_view(), name="booking-detail"),
    path("rezerwacje/<int:pk>/anuluj/", views.BookingCancelView.as_view(), name="booking-cancel"),
    path("rezerwacje/<int:pk>/decyzja/", views.BookingDecideView.as_view(), name="booking-decide"),
    path(
        "rezerwacje/<int:pk>/wydanie/", views.BookingHandOutView.as_view(), name="booking-hand-out"
    ),
    path("rezerwacje/<int:pk>/zwrot/", views.BookingReturnView.as_view(), name="booking-return"),
    path(
        "rezerwacje/<int:pk>/nieodebrana/",
        views.BookingNoShowView.as_view(),
        name="booking-no-show",
    ),
    path("rezerwacje/<int:pk>/zamknij/", views.BookingCloseView.as_view(), name="booking-close"),
    path(
        "rezerwacje/<int:pk>/protokol.pdf",
        views.BookingProtocolView.as_view(),
        name="booking-protocol",
    ),
    path("wypozyczajacy/<int:pk>/", views.OwnerQueueView.as_view(), name="owner-queue"),
    path("szkody/<int:pk>/", views.DamageDetailView.as_view(), name="damage-detail"),
    path(
        "organizacja/<slug:slug>/kalendarz/",
        views.OrganisationFeedView.as_view(),
        name="organisation-feed",
    ),
    path(
        "kalendarz/<slug:token>.ics",
        views.OrganisationFeedIcsView.as_view(),
        name="organisation-feed-ics",
    ),
]
