"""Who may do what in the exchange app (rules registered with pestor.permissions.rule)."""
