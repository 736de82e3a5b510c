from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    # Public: the dashboard of each municipality's programme.
    path("", views.DashboardIndexView.as_view(), name="dashboard-index"),
    path("gmina/<slug:slug>/", views.DashboardView.as_view(), name="dashboard"),
    path(
        "gmina/<slug:slug>/wskazniki.csv",
        views.DashboardExportView.as_view(format="csv"),
        name="dashboard-csv",
    ),
    path(
        "gmina/<slug:slug>/wskazniki.xlsx",
        views.DashboardExportView.as_view(format="xlsx"),
        name="dashboard-xlsx",
    ),
    path(
        "gmina/<slug:slug>/raporty/<int:pk>.pdf",
        views.PublishedReportDownloadView.as_view(),
        name="published-report-download",
    ),
    # The monitoring team.
    path("zespol/", views.TeamHomeView.as_view(), name="team"),
    path("programy/nowy/", views.ProgrammeCreateView.as_view(), name="programme-create"),
    path("programy/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    path(
        "programy/<int:pk>/wskazniki/przelicz/",
        views.SnapshotRefreshView.as_view(),
        name="snapshot-refresh",
    ),
    path("programy/<int:pk>/edytuj/", views.ProgrammeEditView.as_view(), name="programme-edit"),
    path("programy/<int:pk>/srodki/", views.ProgrammeFundsView.as_view(), name="programme-funds"),
    path("programy/<int:pk>/cele/dodaj/", views.GoalFormView.as_view(), name="goal-create"),
    path("programy/<int:pk>/cele/<int:goal_pk>/", views.GoalFormView.as_view(), name="goal-edit"),
    path(
        "programy/<int:pk>/cele/<int:goal_pk>/usun/",
        views.GoalDeleteView.as_view(),
        name="goal-delete",
    ),
    path(
        "programy/<int:pk>/dzialania/dodaj/", views.ActionFormView.as_view(), name="action-create"
    ),
    path(
        "programy/<int:pk>/dzialania/<int:action_pk>/",
        views.ActionFormView.as_view(),
        name="action-edit",
    ),
    path(
        "programy/<int:pk>/dzialania/<int:action_pk>/usun/",
        views.ActionDeleteView.as_view(),
        name="action-delete",
    ),
    path(
        "programy/<int:pk>/wskazniki/dodaj/",
        views.IndicatorFormView.as_view(),
        name="indicator-create",
    ),
    path(
        "programy/<int:pk>/wskazniki/<int:indicator_pk>/",
        views.IndicatorFormView.as_view(),
        name="indicator-edit",
    ),
    path(
        "programy/<int:pk>/wskazniki/<int:indicator_pk>/pomiary/",
        views.MeasurementListView.as_view(),
        name="measurement-list",
    ),
    path(
        "programy/<int:pk>/wskazniki/<int:indicator_pk>/usun/",
        views.IndicatorDeleteView.as_view(),
        name="indicator-delete",
    ),
    path(
        "programy/<int:pk>/wskazniki/<int:indicator_pk>/pomiary/<int:measurement_pk>/usun/",
        views.MeasurementDeleteView.as_view(),
        name="measurement-delete",
    ),
    path("programy/<int:pk>/raporty/", views.ReportListView.as_view(), name="report-list"),
    path("raporty/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("raporty/<int:pk>/pobierz/", views.ReportDownloadView.as_view(), name="report-download"),
    path("raporty/<int:pk>/ponow/", views.ReportRerunView.as_view(), name="report-rerun"),
    path("raporty/<int:pk>/opublikuj/", views.ReportPublishView.as_view(), name="report-publish"),
    path(
        "raporty/<int:pk>/wycofaj-publikacje/",
        views.ReportUnpublishView.as_view(),
        name="report-unpublish",
    ),
    path("raporty/<int:pk>/komentarze/", views.ReportCommentView.as_view(), name="report-comment"),
]
