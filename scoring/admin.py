"""Operators read the committees here; every change goes through the services (and the event
log), so the admin changes nothing."""

from django.contrib import admin

from pestor.admin import PortalModelAdmin

from .models import Criterion, Member, Panel


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionInline(ReadOnlyMixin, admin.TabularInline):
    model = Criterion
    fields = ["order", "name", "max_points", "allow_not_applicable"]


class MemberInline(ReadOnlyMixin, admin.TabularInline):
    model = Member
    fields = ["user", "role", "represents_pes", "added_at"]
    autocomplete_fields = ["user"]


@admin.register(Panel)
class PanelAdmin(ReadOnlyMixin, PortalModelAdmin):
    list_display = ["title", "status", "owner_type", "created_at", "closed_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [CriterionInline, MemberInline]
    exclude = ["owner_type", "owner_id"]
