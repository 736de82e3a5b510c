from django.contrib import admin

from pestor.admin import PortalModelAdmin

from .models import Competition, Offer, Strategy


@admin.register(Strategy)
class StrategyAdmin(PortalModelAdmin):
    list_display = ["name", "municipality", "first_year", "last_year"]
    list_select_related = ["municipality"]
    raw_id_fields = ["municipality"]


@admin.register(Competition)
class CompetitionAdmin(PortalModelAdmin):
    list_display = ["title", "municipality", "status", "budget", "offers_until"]
    list_filter = ["status"]
    list_select_related = ["municipality"]
    raw_id_fields = ["municipality", "sphere", "created_by", "decided_by"]
    filter_horizontal = ["outcomes"]


@admin.register(Offer)
class OfferAdmin(PortalModelAdmin):
    list_display = ["task_title", "organisation", "competition", "status", "formal_status"]
    list_filter = ["status", "formal_status"]
    list_select_related = ["organisation", "competition"]
    raw_id_fields = ["organisation", "competition", "submitted_by"]
