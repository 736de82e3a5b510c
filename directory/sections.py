"""The directory's panels on shared pages (registered in DirectoryConfig.ready())."""

from pestor import roles

from . import selectors


def home_figures(*, request):
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
