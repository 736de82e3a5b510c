"""Every admin list reloads without the parameters it cannot use, instead of a server error."""

import pytest
from django.contrib import admin
from django.urls import reverse

from pestor.admin import PortalChangeList

ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize(
    "model_admin", [model_admin for _model, model_admin in ADMINS], ids=lambda a: str(a)
)
def test_every_registered_admin_lists_through_the_portal_changelist(model_admin):
    assert issubclass(model_admin.get_changelist(None), PortalChangeList)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("admin:pestor_auditevent_changelist", {"q": "a\x00b"}),
        ("admin:pestor_auditevent_changelist", {"action": "a\x00b"}),
        ("admin:directory_organisation_changelist", {"status__exact": "a\x00b"}),
        ("admin:account_emailaddress_changelist", {"q": "\x00"}),
    ],
)
def test_a_nul_byte_in_a_search_or_filter_reloads_the_list(client, admin_user, url_name, params):
    """PostgreSQL refuses a NUL byte in any string: the search was a 500 there."""
    client.force_login(admin_user)
    response = client.get(reverse(url_name), params)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
