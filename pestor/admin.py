from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .models import (
    AuditEvent,
    BusinessBuyerMembership,
    Company,
    Department,
    LocalAdministratorMembership,
    MonitoringTeamMembership,
    Municipality,
    OfficialMembership,
    User,
)


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


class LocalAdministratorMembershipInline(admin.TabularInline):
    """The installation's administrator grants a municipality its local administrators; they
    invite the officials and the monitoring team from the portal."""

    model = LocalAdministratorMembership
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
        (_("Important dates"), {"fields": ("last_login", "date_joined", "anonymised_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["anonymised_at"]
    inlines = [
        OfficialMembershipInline,
        MonitoringTeamMembershipInline,
        BusinessBuyerMembershipInline,
        LocalAdministratorMembershipInline,
    ]

    # Deleting an account is pestor.services.user_erase: one with history is anonymised, so
    # what would PROTECT it does not refuse the deletion; the confirmation page lists it as kept.
    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, _protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, perms_needed, []

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, unquote(object_id))
        if user is not None:
            kept = [
                f"{capfirst(record._meta.verbose_name)}: {record}"
                for record in selectors.user_history(user=user)
            ]
            extra_context = {**(extra_context or {}), "kept": kept}
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        services.user_erase(user=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.user_erase(user=user, actor=request.user)


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
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the event log is written by services and never edited."""

    # The copied names, not the rows: the actor or the target may since have been deleted.
    list_display = ["created_at", "action", "object_repr", "actor_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_repr", "actor__email", "comment"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
