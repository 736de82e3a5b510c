from django.conf import settings

from . import roles


def portal(request):
    user = request.user
    return {
        "site_name": settings.SITE_NAME,
        "is_official": roles.is_official(user),
        "is_monitoring_member": roles.is_monitoring_member(user),
        "is_business_buyer": roles.is_business_buyer(user),
    }
