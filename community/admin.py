from django.contrib import admin

from pestor.admin import PortalModelAdmin

from .models import Event, Registration, Speaker


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0
    raw_id_fields = ["organisation"]


@admin.register(Event)
class EventAdmin(PortalModelAdmin):
    list_display = ["title", "kind", "municipality", "starts_at", "status", "seats_taken"]
    list_select_related = ["municipality"]
    list_filter = ["kind", "status", "audience"]
    search_fields = ["title"]
    raw_id_fields = ["municipality", "organiser", "partnership", "created_by"]
    readonly_fields = ["seats_taken", "waiting", "programme_html", "report_html"]
    inlines = [SpeakerInline]


@admin.register(Registration)
class RegistrationAdmin(PortalModelAdmin):
    list_display = ["name", "event", "status", "affiliation", "attended", "created_at"]
    list_select_related = ["event"]
    list_filter = ["status", "affiliation"]
    search_fields = ["name", "email"]
    raw_id_fields = ["event", "registered_by", "organisation"]


# --- the award and the contests (community.awards_models) ---------------------------------------

from .awards_models import AwardCall, Nomination  # noqa: E402


@admin.register(AwardCall)
class AwardCallAdmin(PortalModelAdmin):
    list_display = ["category", "kind", "year", "municipality", "nominations_until"]
    list_select_related = ["municipality"]
    list_filter = ["kind", "year"]
    search_fields = ["category"]
    raw_id_fields = ["municipality", "created_by", "results_published_by"]
    readonly_fields = ["results_published_at", "results_published_by"]


@admin.register(Nomination)
class NominationAdmin(PortalModelAdmin):
    list_display = ["__str__", "call", "created_at", "votes", "jury_total", "place"]
    list_select_related = ["call", "organisation", "offer"]
    list_filter = ["call__kind"]
    search_fields = ["person_name", "organisation__name", "offer__title"]
    raw_id_fields = ["call", "nominator", "organisation", "offer"]
