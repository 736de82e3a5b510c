"""The financial instrument's pages, under their own prefix (/finansowanie/)."""

from django.urls import path

from .views import finance as views

app_name = "finance"

urlpatterns = [
    path("", views.ProductListView.as_view(), name="product-list"),
    path("sprawdz/", views.EligibilityView.as_view(), name="eligibility"),
    path("produkty/nowy/", views.ProductFormView.as_view(new=True), name="product-create"),
    path("produkty/<int:pk>/", views.ProductDetailView.as_view(), name="product-detail"),
    path("produkty/<int:pk>/edycja/", views.ProductFormView.as_view(), name="product-update"),
    path(
        "produkty/<int:pk>/wniosek/", views.LoanRequestCreateView.as_view(), name="request-create"
    ),
    path("wnioski/", views.LoanRequestListView.as_view(), name="request-list"),
    path("wnioski/<int:pk>/", views.LoanRequestDetailView.as_view(), name="request-detail"),
    path("wyniki/", views.FinanceTotalsView.as_view(), name="totals"),
    path("wyniki/eksport.<str:fmt>", views.FinanceTotalsExportView.as_view(), name="totals-export"),
]
