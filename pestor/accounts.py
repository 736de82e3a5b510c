"""allauth's e-mails as the portal's own: named by SITE_NAME and linking to SITE_URL.

Without the Sites framework allauth names the portal after the request's host ("Witamy z
127.0.0.1!") and builds links from it, which behind a proxy or in a background task is not the
address people use.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


@dataclass(frozen=True)
class PortalSite:
    """What allauth's templates read from ``current_site``."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def portal_url(url: str) -> str:
    """``url`` (absolute, from the request, or a path) on the portal's public address."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return settings.SITE_URL + path


class PortalAccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.SITE_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {
            **context,
            **{
                key: portal_url(value)
                for key, value in context.items()
                if key.endswith("_url") and isinstance(value, str)
            },
            "current_site": portal_site(),
        }
        super().send_mail(template_prefix, email, context)
