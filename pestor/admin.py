from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget, UserChangeForm
from django.contrib.auth.models import Group
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
        try:
            return super().get_queryset(request, exclude_parameters)
        except OverflowError as error:  # a date filter beyond what the time zone can convert
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        # A datetime filter at the very edge (?created_at__gte=0001-01-01T00:00) overflows only
        # when the query is run, converted from Warsaw time to UTC.
        try:
            return super().get_results(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


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


class LocalAdministratorMembershipInline(admin.TabularInline):
    """The installation's administrator grants a municipality its local administrators; they
    invite the officials and the monitoring team from the portal."""

    model = LocalAdministratorMembership
    extra = 0


class PasswordHashWidget(ReadOnlyPasswordHashWidget):
    """Django's read-only password summary without the ``disabled`` attribute the disabled
    field gives it: on a <div> that attribute is invalid HTML (the Nu checker refuses it)."""

    def get_context(self, name, value, attrs):
        attrs = {key: val for key, val in (attrs or {}).items() if key != "disabled"}
        return super().get_context(name, value, attrs)


class PortalUserChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = PasswordHashWidget()


@admin.register(User)
class UserAdmin(PortalAdminMixin, DjangoUserAdmin):
    """Administrators make officials here: a user with an official membership in a department."""

    form = PortalUserChangeForm

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


# The libraries' admins, listed through the portal's changelist too.
for model, library_admin in [
    (Group, GroupAdmin),
    (EmailAddress, EmailAddressAdmin),
    (Authenticator, AuthenticatorAdmin),
]:
    admin.site.unregister(model)
    admin.site.register(model, type(library_admin.__name__, (PortalAdminMixin, library_admin), {}))
