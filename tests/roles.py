"""The roles every view test runs against (fixtures of tests/conftest.py), and how a response
is read in a role matrix."""

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
    "local_administrator",
    "admin_user",
]


def login_redirect(response) -> bool:
    return response.status_code == 302 and reverse("account_login") in response["Location"]


def outcome(response):
    """ "login" for a redirect to the sign-in page, the status code otherwise."""
    return "login" if login_redirect(response) else response.status_code
