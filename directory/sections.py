"""The directory's panels on shared pages (registered in DirectoryConfig.ready())."""

from django.urls import reverse
from django.utils.translation import gettext as _

from pestor import roles
from pestor.personal_data import DeletionBlocker

from . import selectors


def home_figures() -> dict:
    return selectors.organisation_counts()


def dashboard_panel(*, request):
    user = request.user
    may_verify = roles.is_official(user) or roles.is_administrator(user)
    return {
        "organisations": selectors.organisations_of_user(user=user),
        "pending_count": selectors.verification_queue(user=user).count() if may_verify else None,
        "legal_change_count": (
            selectors.legal_change_queue(user=user).count() if may_verify else None
        ),
    }


def deletion_blockers(*, user):
    """An organisation's last owner hands it over before their account can go."""
    return [
        DeletionBlocker(
            message=_(
                "You are the only owner of %(organisation)s. Hand the organisation over to another "
                "owner before you delete your account."
            )
            % {"organisation": organisation.name},
            url=reverse("directory:organisation-members", kwargs={"slug": organisation.slug}),
            link_text=_("Members of %(organisation)s") % {"organisation": organisation.name},
        )
        for organisation in selectors.organisations_needing_owner(user=user)
    ]
