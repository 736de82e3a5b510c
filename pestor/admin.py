from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    AuditEvent,
    BusinessBuyerMembership,
    Company,
    Department,
    MonitoringTeamMembership,
    Municipality,
    OfficialMembership,
    User,
)


class DateHierarchyChangeList(ChangeList):
    """Django turns a date-hierarchy year it cannot read into "incorrect parameters" (the list
    reloads without them), but not a year beyond any date, such as ``?created_at__year=9999…``:
    that raised an OverflowError, a 500."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class DateHierarchyAdmin(admin.ModelAdmin):
    """A model admin with ``date_hierarchy``."""

    def get_changelist(self, request, **kwargs):
        return DateHierarchyChangeList


class OfficialMembershipInline(admin.TabularInline):
    model = OfficialMembership
    extra = 0
    autocomplete_fields = ["department"]


class MonitoringTeamMembershipInline(admin.TabularInline):
    model = MonitoringTeamMembership
    extra = 0


class BusinessBuyerMembershipInline(admin.TabularInline):
    model = BusinessBuyerMembership
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Administrators make officials here: a user with an official membership in a department."""

    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    inlines = [
        OfficialMembershipInline,
        MonitoringTeamMembershipInline,
        BusinessBuyerMembershipInline,
    ]


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "teryt", "voivodeship"]
    search_fields = ["name", "teryt"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "code"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "municipality"]
    search_fields = ["name", "nip"]
    inlines = [BusinessBuyerMembershipInline]


@admin.register(AuditEvent)
class AuditEventAdmin(DateHierarchyAdmin):
    """Read-only: the event log is written by services and never edited."""

    list_display = ["created_at", "action", "object_repr", "actor"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor__email", "comment"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
