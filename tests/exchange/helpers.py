from django.urls import reverse

ROLES = [
    "resident",
    "signed_in_user",
    "pes_owner",
    "pes_editor",
    "other_pes_member",
    "official",
    "other_official",
    "monitoring_member",
    "business_buyer",
    "admin_user",
]


def outcome(response):
    """ "login" for a redirect to the sign-in page, the status code otherwise."""
    if response.status_code == 302 and reverse("account_login") in response["Location"]:
        return "login"
    return response.status_code
