from django.contrib import admin

from pestor.admin import PortalModelAdmin

from . import services
from .models import (
    LegalDataChange,
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    PublicBenefitSphere,
)
from .services import store_logo_copy


class MembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(PortalModelAdmin):
    list_display = ["name", "legal_form", "nip", "seat_municipality", "status", "verified_at"]
    list_filter = ["status", "legal_form", "seat_municipality", "is_social_enterprise"]
    search_fields = ["name", "short_name", "nip", "regon", "krs"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["spheres", "municipalities_served"]
    readonly_fields = ["verified_at", "verified_by", "created_at", "updated_at"]
    inlines = [MembershipInline]

    # Recorded in the event log; an organisation others' records rely on is refused with the
    # list of what protects it (templates/admin/directory/organisation/).
    def delete_model(self, request, obj):
        services.organisation_delete(organisation=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for organisation in queryset:
            services.organisation_delete(organisation=organisation, actor=request.user)

    def save_model(self, request, obj, form, change):
        # An administrator's upload is stored like a member's: the re-encoded copy.
        store_logo_copy(obj)
        super().save_model(request, obj, form, change)


@admin.register(PublicBenefitSphere)
class PublicBenefitSphereAdmin(PortalModelAdmin):
    list_display = ["code", "name"]


@admin.register(OrganisationInvitation)
class OrganisationInvitationAdmin(PortalModelAdmin):
    list_display = ["email", "organisation", "created_at", "accepted_at"]
    readonly_fields = ["token"]


@admin.register(LegalDataChange)
class LegalDataChangeAdmin(PortalModelAdmin):
    """Read-only: changes are decided by officials in the portal, where the event log and the
    e-mails to the owners are written."""

    list_display = ["organisation", "status", "requested_at", "decided_at"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
