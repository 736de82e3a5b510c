"""Committee scoring, generic over what is scored (DESIGN: premises calls, grant competitions,
the President's award and contests all score through it).

A consuming app registers the model that owns a panel (a call, a competition) in
``scoring.registry``, creates the panel with ``scoring.services.panel_create`` and links its
members to ``scoring:panel-detail``; everything else (declarations of conflict of interest,
scores with "not applicable", submission, the results with means and ranking, the exports)
lives here. See the README, section "Committee scoring".
"""
