from django.contrib import admin

from pestor.admin import PortalModelAdmin

from .models import (
    Booking,
    BookingItem,
    CalendarFeed,
    Category,
    ConditionReport,
    DamageCase,
    Kit,
    KitItem,
    Owner,
    RecurringSeries,
    Resource,
    ResourceAttachment,
    ResourcePhoto,
    ResourceUnit,
)


@admin.register(Owner)
class OwnerAdmin(PortalModelAdmin):
    list_display = ["name", "municipality", "department", "organisation", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "department__name", "organisation__name"]
    list_select_related = ["municipality", "department", "organisation"]
    raw_id_fields = ["department", "organisation"]
    readonly_fields = ["municipality", "created_at"]


@admin.register(Category)
class CategoryAdmin(PortalModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


class UnitInline(admin.TabularInline):
    model = ResourceUnit
    extra = 0


class PhotoInline(admin.TabularInline):
    model = ResourcePhoto
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = ResourceAttachment
    extra = 0


@admin.register(Resource)
class ResourceAdmin(PortalModelAdmin):
    list_display = ["name", "kind", "owner", "category", "status", "approval"]
    list_filter = ["kind", "status", "approval", "category"]
    search_fields = ["name", "owner__name"]
    list_select_related = ["owner", "category"]
    raw_id_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [UnitInline, PhotoInline, AttachmentInline]


@admin.register(ResourceUnit)
class ResourceUnitAdmin(PortalModelAdmin):
    list_display = ["inventory_number", "resource", "status", "inspection_due"]
    list_filter = ["status"]
    search_fields = ["inventory_number", "resource__name"]
    list_select_related = ["resource"]
    raw_id_fields = ["resource"]


class KitItemInline(admin.TabularInline):
    model = KitItem
    extra = 0
    raw_id_fields = ["resource"]


@admin.register(Kit)
class KitAdmin(PortalModelAdmin):
    list_display = ["name", "owner", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    raw_id_fields = ["owner"]
    inlines = [KitItemInline]


class BookingItemInline(admin.TabularInline):
    model = BookingItem
    extra = 0
    can_delete = False
    raw_id_fields = ["unit", "resource"]
    readonly_fields = ["blocked_from", "blocked_until", "holds_slot", "tentative"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(PortalModelAdmin):
    """Bookings change state through the portal's pages (each change is logged); the admin
    reads them to resolve a complaint."""

    list_display = ["pk", "resource", "kit", "organisation", "department", "starts_at", "status"]
    list_filter = ["status"]
    search_fields = ["resource__name", "organisation__name", "requested_by__email"]
    list_select_related = ["resource", "kit", "organisation", "department"]
    raw_id_fields = [
        "owner",
        "resource",
        "kit",
        "series",
        "organisation",
        "department",
        "requested_by",
        "decided_by",
        "handed_out_by",
        "returned_to",
    ]
    readonly_fields = ["status", "in_kind_value", "created_at", "expires_at"]
    inlines = [BookingItemInline]


@admin.register(ConditionReport)
class ConditionReportAdmin(PortalModelAdmin):
    list_display = ["item", "stage", "is_complete", "is_clean", "is_working", "recorded_at"]
    list_filter = ["stage"]
    raw_id_fields = ["item", "recorded_by"]


@admin.register(DamageCase)
class DamageCaseAdmin(PortalModelAdmin):
    list_display = ["unit", "booking", "organisation", "status", "opened_at"]
    list_filter = ["status"]
    search_fields = ["unit__inventory_number", "organisation__name"]
    list_select_related = ["unit", "unit__resource", "booking", "organisation"]
    raw_id_fields = [
        "unit",
        "booking",
        "organisation",
        "department",
        "person",
        "opened_by",
        "cleared_by",
    ]


@admin.register(RecurringSeries)
class RecurringSeriesAdmin(PortalModelAdmin):
    list_display = ["resource", "frequency", "occurrences", "created_at"]
    raw_id_fields = ["resource", "created_by"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(PortalModelAdmin):
    list_display = ["organisation", "created_at", "revoked_at"]
    raw_id_fields = ["organisation", "created_by"]
    readonly_fields = ["token"]
