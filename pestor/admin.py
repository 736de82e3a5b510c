from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
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


class PortalChangeList(ChangeList):
    """An admin list that treats two more kinds of parameters as Django treats the ones it
    cannot read ("incorrect parameters": the list reloads without them, ``?e=1``), where Django
    itself raised a 500: a date-hierarchy year beyond any date (``?created_at__year=9999…``, an
    OverflowError), and a NUL byte in the search or a filter, which PostgreSQL refuses in any
    string it is sent."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def get_queryset(self, request, exclude_parameters=None):
        if any("\x00" in value for values in request.GET.lists() for value in values[1]) or any(
            "\x00" in key for key in request.GET
        ):
            raise IncorrectLookupParameters("NUL byte in the parameters")
        return super().get_queryset(request, exclude_parameters)


class PortalAdminMixin:
    """Every model admin of the portal (and the ones of the libraries, registered again below)
    lists through :class:`PortalChangeList`."""

    def get_changelist(self, request, **kwargs):
        return PortalChangeList


class PortalModelAdmin(PortalAdminMixin, admin.ModelAdmin):
    pass


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
class UserAdmin(PortalAdminMixin, DjangoUserAdmin):
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
class MunicipalityAdmin(PortalModelAdmin):
    list_display = ["name", "teryt", "voivodeship"]
    search_fields = ["name", "teryt"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DepartmentInline]


@admin.register(Department)
class DepartmentAdmin(PortalModelAdmin):
    list_display = ["name", "code", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "code"]


@admin.register(Company)
class CompanyAdmin(PortalModelAdmin):
    list_display = ["name", "nip", "municipality"]
    search_fields = ["name", "nip"]
    inlines = [BusinessBuyerMembershipInline]


@admin.register(AuditEvent)
class AuditEventAdmin(PortalModelAdmin):
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


# The libraries' admins, listed through the portal's changelist too.
for model, library_admin in [(Group, GroupAdmin), (EmailAddress, EmailAddressAdmin)]:
    admin.site.unregister(model)
    admin.site.register(model, type(library_admin.__name__, (PortalAdminMixin, library_admin), {}))
