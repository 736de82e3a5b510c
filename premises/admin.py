from django.contrib import admin

from pestor.admin import PortalModelAdmin

from .models import (
    AdministeringUnit,
    DiscountPolicy,
    FloorDiscount,
    Lease,
    Premises,
    PremisesCall,
    SphereDiscount,
)


@admin.register(AdministeringUnit)
class AdministeringUnitAdmin(PortalModelAdmin):
    list_display = ["name", "municipality", "contact_email"]
    list_select_related = ["municipality"]
    raw_id_fields = ["department"]
    search_fields = ["name"]


@admin.register(Premises)
class PremisesAdmin(PortalModelAdmin):
    list_display = ["address", "district", "municipality", "status", "area_m2"]
    list_select_related = ["municipality"]
    list_filter = ["status", "floor"]
    raw_id_fields = ["unit"]
    search_fields = ["address", "district"]
    readonly_fields = ["status", "status_changed_at"]


class SphereDiscountInline(admin.TabularInline):
    model = SphereDiscount
    raw_id_fields = ["sphere"]


class FloorDiscountInline(admin.TabularInline):
    model = FloorDiscount


@admin.register(DiscountPolicy)
class DiscountPolicyAdmin(PortalModelAdmin):
    list_display = ["municipality", "discount_months", "lease_term_months"]
    raw_id_fields = ["municipality"]
    inlines = [SphereDiscountInline, FloorDiscountInline]


@admin.register(Lease)
class LeaseAdmin(PortalModelAdmin):
    """Read-only: leases change through the services (their discount and support are
    computed and logged)."""

    list_display = ["premises", "organisation", "starts_on", "ends_on", "discount_percent"]
    list_select_related = ["premises", "organisation"]
    search_fields = ["premises__address", "organisation__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PremisesCall)
class PremisesCallAdmin(PortalModelAdmin):
    list_display = ["title", "municipality", "status", "opens_at", "closes_at"]
    list_select_related = ["municipality"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
