class InvitationTokenConverter:
    """An invitation's token as ``secrets.token_urlsafe`` writes it (the URL-safe base64
    alphabet). Anything else — a NUL byte, a space, another script — is not a token, so the
    URL does not resolve and the visitor gets a 404 before the database is asked (PostgreSQL
    refuses a NUL byte in a query parameter outright)."""

    regex = "[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
