from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from . import views

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
        path("csp-report/", views.ContentSecurityReportView.as_view(), name="csp-report"),
    ],
    "pestor",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path("organizacje/", include("directory.urls")),
    path("gielda/", include("exchange.urls")),
    path("zapotrzebowanie/", include("demand.urls")),
    path("monitoring/", include("monitoring.urls")),
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
