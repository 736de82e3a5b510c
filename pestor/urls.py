from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path, register_converter
from django.views.i18n import JavaScriptCatalog

from . import views
from .converters import InvitationTokenConverter

# Invitation tokens (the directory's and the municipality's) in URLs: anything outside their
# alphabet, a NUL byte included, is a 404 before the database is asked.
register_converter(InvitationTokenConverter, "invitation_token")

# The admin has no sign-in form of its own: it sends people to the portal's, so one set of rate
# limits and the second factor apply to everyone.
admin.site.login = secure_admin_login(admin.site.login)

# 403 and 404 are Django's own views, which render 403.html and 404.html with the request; a
# rate limit renders 429.html (allauth) and a refused form 403_csrf.html (CSRF_FAILURE_VIEW).
handler400 = "pestor.views.bad_request"
handler500 = "pestor.views.server_error"

portal_patterns = (
    [
        path("", views.HomeView.as_view(), name="home"),
        path("panel/", views.DashboardView.as_view(), name="dashboard"),
        path(
            "deklaracja-dostepnosci/",
            views.AccessibilityStatementView.as_view(),
            name="accessibility",
        ),
        path("prywatnosc/", views.PrivacyView.as_view(), name="privacy"),
        path("konto/profil/", views.AccountView.as_view(), name="account"),
        path("konto/profil/moje-dane.json", views.AccountDataView.as_view(), name="account-data"),
        path("konto/profil/usun/", views.AccountDeleteView.as_view(), name="account-delete"),
        path("konto/kupujacy/", views.BuyerRoleRequestView.as_view(), name="buyer-request"),
        path(
            "wnioski-kupujacych/",
            views.BuyerRoleRequestQueueView.as_view(),
            name="buyer-requests",
        ),
        path(
            "wnioski-kupujacych/<int:pk>/",
            views.BuyerRoleRequestDecisionView.as_view(),
            name="buyer-request-decision",
        ),
        path(
            "gminy/podpowiedzi/",
            views.MunicipalitySuggestionsView.as_view(),
            name="municipality-suggestions",
        ),
        path(
            "gminy/<slug:slug>/ludzie/",
            views.MunicipalityPeopleView.as_view(),
            name="municipality-people",
        ),
        path(
            "gminy/<slug:slug>/ludzie/urzednicy/<int:pk>/usun/",
            views.OfficialRemoveView.as_view(),
            name="official-remove",
        ),
        path(
            "gminy/<slug:slug>/ludzie/zespol/<int:pk>/usun/",
            views.MonitoringMemberRemoveView.as_view(),
            name="monitoring-member-remove",
        ),
        path(
            "zaproszenie/<invitation_token:token>/",
            views.StaffInvitationAcceptView.as_view(),
            name="invitation-accept",
        ),
        path("csp-report/", views.ContentSecurityReportView.as_view(), name="csp-report"),
        # Answered by pestor.middleware.HealthCheckMiddleware before it gets here; the pattern
        # names the URL (and serves it should the middleware be left out).
        path("health/", views.health_check, name="health"),
        path("zadania-w-tle/", views.JobListView.as_view(), name="job-list"),
    ],
    "pestor",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path("organizacje/", include("directory.urls")),
    path("gielda/", include("exchange.urls")),
    path("zapotrzebowanie/", include("demand.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("bank-sprzetu/", include("equipment_bank.urls")),
    path("ocena/", include("scoring.urls")),
    path("lokale/", include("premises.urls")),
    path("granty/", include("grants.urls")),
    path("wydarzenia/", include("community.urls")),
    path("otwarte-dane/", include("opendata.urls")),
    path("api/v1/", include("opendata.api.urls")),
    path("partnerstwa/", include("partnerships.urls")),
    path("finansowanie/", include("partnerships.finance_urls")),
    path("konto/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    # Public uploads (logos, offer photos). Private files are never under MEDIA_URL: views
    # that check permissions serve them.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            views.public_media,
            name="public-media",
        )
    ]
