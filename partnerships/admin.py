from django.contrib import admin

from pestor.admin import PortalModelAdmin

from .models import Lender, LenderStaff, Meeting, Partnership, PartnershipMember, Product, Theme


@admin.register(Theme)
class ThemeAdmin(PortalModelAdmin):
    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name",)}


class MemberInline(admin.TabularInline):
    model = PartnershipMember
    extra = 0
    raw_id_fields = ("organisation", "municipality", "department", "company")


@admin.register(Partnership)
class PartnershipAdmin(PortalModelAdmin):
    list_display = ("name", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = (
        "coordinator_organisation",
        "coordinator_municipality",
        "created_by",
        "territory",
    )
    filter_horizontal = ("themes",)
    inlines = [MemberInline]


@admin.register(Meeting)
class MeetingAdmin(PortalModelAdmin):
    list_display = ("title", "partnership", "held_on", "is_published")
    raw_id_fields = ("partnership", "created_by")


class LenderStaffInline(admin.TabularInline):
    model = LenderStaff
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Lender)
class LenderAdmin(PortalModelAdmin):
    list_display = ("name", "kind", "nip")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "nip")
    inlines = [LenderStaffInline]


@admin.register(Product)
class ProductAdmin(PortalModelAdmin):
    list_display = ("name", "kind", "lender", "amount_min", "amount_max", "is_active")
    list_filter = ("kind", "is_active")
    raw_id_fields = ("lender",)
