from django.contrib import admin

from pestor.admin import PortalModelAdmin

from .models import CpvCode, Inquiry, InquiryMessage, Offer, OfferPhoto


@admin.register(CpvCode)
class CpvCodeAdmin(PortalModelAdmin):
    list_display = ["code", "name_pl", "level", "is_curated"]
    list_filter = ["is_curated", "level"]
    search_fields = ["code", "name_pl", "name_en"]
    raw_id_fields = ["parent"]
    readonly_fields = ["level"]


class OfferPhotoInline(admin.TabularInline):
    model = OfferPhoto
    extra = 0


@admin.register(Offer)
class OfferAdmin(PortalModelAdmin):
    list_display = ["title", "organisation", "kind", "cpv", "price_type", "price", "status"]
    list_filter = ["status", "kind", "price_type"]
    search_fields = ["title", "organisation__name", "cpv__code"]
    list_select_related = ["organisation", "cpv"]
    raw_id_fields = ["organisation", "cpv", "created_by"]
    filter_horizontal = ["municipalities_served"]
    readonly_fields = ["description_html", "created_by", "created_at", "updated_at"]
    inlines = [OfferPhotoInline]


class InquiryMessageInline(admin.TabularInline):
    model = InquiryMessage
    extra = 0
    can_delete = False
    readonly_fields = ["author", "from_buyer", "body", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Inquiry)
class InquiryAdmin(PortalModelAdmin):
    """Private conversations: administrators may read them to resolve a complaint, not edit
    what either side wrote."""

    list_display = ["offer", "organisation", "buyer", "status", "created_at", "last_message_at"]
    list_filter = ["status"]
    search_fields = ["offer__title", "organisation__name", "buyer__email"]
    list_select_related = ["offer", "organisation", "buyer"]
    raw_id_fields = ["offer", "organisation", "buyer", "buyer_department", "buyer_company"]
    readonly_fields = [
        "created_at",
        "last_message_at",
        "buyer_read_at",
        "organisation_read_at",
        "closed_at",
        "closed_by",
    ]
    inlines = [InquiryMessageInline]
