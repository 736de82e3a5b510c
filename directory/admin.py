from django.contrib import admin

from pestor.admin import PortalModelAdmin

from .models import (
    Organisation,
    OrganisationInvitation,
    OrganisationMembership,
    PublicBenefitSphere,
)


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


@admin.register(PublicBenefitSphere)
class PublicBenefitSphereAdmin(PortalModelAdmin):
    list_display = ["code", "name"]


@admin.register(OrganisationInvitation)
class OrganisationInvitationAdmin(PortalModelAdmin):
    list_display = ["email", "organisation", "created_at", "accepted_at"]
    readonly_fields = ["token"]
