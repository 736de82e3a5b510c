"""Who may do what in the demand app (rules registered with pestor.permissions.rule)."""
