"""scoring's part of shared pages (registered in ScoringConfig.ready())."""


def dashboard_panel(*, request) -> dict | None:
    """A link to the member's panels. No query of its own ("My panel" is held to ten): the link
    is shown to every signed-in user, and the list says when they sit on no panel."""
    return {} if request.user.is_authenticated else None
