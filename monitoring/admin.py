from django.contrib import admin

from pestor.admin import PortalModelAdmin

from .models import (
    Action,
    CooperationProgramme,
    Goal,
    Indicator,
    IndicatorSnapshot,
    Measurement,
    ProgrammeFunds,
    Report,
    ReportComment,
)


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


class FundsInline(admin.TabularInline):
    model = ProgrammeFunds
    extra = 0


@admin.register(CooperationProgramme)
class CooperationProgrammeAdmin(PortalModelAdmin):
    list_display = ["title", "municipality", "year_from", "year_to", "status"]
    list_filter = ["status", "kind", "municipality"]
    search_fields = ["title", "resolution_number"]
    inlines = [GoalInline, FundsInline]


@admin.register(Action)
class ActionAdmin(PortalModelAdmin):
    list_display = ["title", "goal", "department", "status"]
    list_filter = ["status", "goal__programme"]
    search_fields = ["title"]


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    raw_id_fields = ["entered_by"]


@admin.register(Indicator)
class IndicatorAdmin(PortalModelAdmin):
    list_display = ["name", "programme", "goal", "action", "unit", "target", "source"]
    list_filter = ["source", "programme"]
    search_fields = ["name"]
    inlines = [MeasurementInline]


class CommentInline(admin.TabularInline):
    model = ReportComment
    extra = 0
    raw_id_fields = ["author"]


@admin.register(Report)
class ReportAdmin(PortalModelAdmin):
    list_display = ["__str__", "kind", "status", "progress", "created_at", "attempts"]
    list_filter = ["status", "kind"]
    readonly_fields = [
        "file",
        "snapshot",
        "task_id",
        "attempts",
        "started_at",
        "finished_at",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["requested_by"]
    inlines = [CommentInline]


@admin.register(IndicatorSnapshot)
class IndicatorSnapshotAdmin(PortalModelAdmin):
    """The computed indicators as last taken, and how long each took (which are slow). Taken by
    celery beat and the team's "compute now", never edited by hand."""

    list_display = [
        "key",
        "municipality",
        "period_start",
        "period_end",
        "value",
        "taken_at",
        "duration",
    ]
    list_filter = ["key", "period_start"]
    list_select_related = ["municipality"]
    search_fields = ["municipality__name"]
    ordering = ["-duration"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
