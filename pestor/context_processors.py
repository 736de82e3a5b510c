from django.conf import settings

from . import roles


def portal(request):
    user = request.user
    return {
        "site_name": settings.SITE_NAME,
        "portal_operator": settings.PORTAL_OPERATOR,
        "contact_email": settings.CONTACT_EMAIL,
        "is_official": roles.is_official(user),
        "is_monitoring_member": roles.is_monitoring_member(user),
        "is_business_buyer": roles.is_business_buyer(user),
    }


def maps(request):
    return {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
