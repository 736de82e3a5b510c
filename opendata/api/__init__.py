"""The read-only public JSON API (/api/v1/): the data the portal's public pages show, read
through the other apps' selectors (the same visibility rules), with their filters, pages by
cursor, an OpenAPI description (drf-spectacular) and limits per client (DRF throttling, in the
project's cache)."""
