from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("", views.PanelListView.as_view(), name="panel-list"),
    path("<int:pk>/", views.PanelDetailView.as_view(), name="panel-detail"),
    path(
        "<int:pk>/pozycje/<int:item>/deklaracja/",
        views.DeclarationView.as_view(),
        name="item-declare",
    ),
    path("<int:pk>/pozycje/<int:item>/", views.SheetView.as_view(), name="item-sheet"),
    path("<int:pk>/wyniki/", views.ResultsView.as_view(), name="panel-results"),
    path("<int:pk>/wyniki.<str:fmt>", views.ResultsExportView.as_view(), name="panel-export"),
    path("<int:pk>/czlonkowie/", views.MembersView.as_view(), name="panel-members"),
    path(
        "<int:pk>/czlonkowie/<int:member>/usun/",
        views.MemberRemoveView.as_view(),
        name="member-remove",
    ),
    path("<int:pk>/zamknij/", views.PanelCloseView.as_view(), name="panel-close"),
]
