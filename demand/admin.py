from django.contrib import admin

from pestor.admin import PortalModelAdmin

from .models import (
    Answer,
    ConsortiumPartner,
    DemandNotice,
    NoticeAttachment,
    NoticeMatch,
    SocialClauseCheck,
)


class AttachmentInline(admin.TabularInline):
    model = NoticeAttachment
    extra = 0


class ClauseCheckInline(admin.StackedInline):
    model = SocialClauseCheck
    extra = 0
    readonly_fields = ["procurement_law_applies", "decided_by", "decided_at"]


class MatchInline(admin.TabularInline):
    model = NoticeMatch
    extra = 0
    raw_id_fields = ["organisation"]
    readonly_fields = ["matched_at", "notified_at"]


@admin.register(DemandNotice)
class DemandNoticeAdmin(PortalModelAdmin):
    list_display = [
        "title",
        "municipality",
        "department",
        "company",
        "status",
        "answers_deadline",
        "published_at",
        "awarded_value",
    ]
    list_filter = ["status", "municipality"]
    search_fields = ["title", "description", "search_text"]
    date_hierarchy = "answers_deadline"
    filter_horizontal = ["cpv_codes"]
    raw_id_fields = ["posted_by"]
    readonly_fields = [
        "created_at",
        "updated_at",
        "published_at",
        "closed_at",
        "awarded_at",
        "cancelled_at",
    ]
    inlines = [ClauseCheckInline, AttachmentInline, MatchInline]


class PartnerInline(admin.TabularInline):
    model = ConsortiumPartner
    extra = 0
    raw_id_fields = ["organisation", "confirmed_by"]


@admin.register(Answer)
class AnswerAdmin(PortalModelAdmin):
    list_display = ["notice", "organisation", "kind", "price_net", "is_awarded", "updated_at"]
    list_filter = ["kind", "is_awarded"]
    search_fields = ["notice__title", "organisation__name"]
    raw_id_fields = ["notice", "organisation", "submitted_by"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PartnerInline]
