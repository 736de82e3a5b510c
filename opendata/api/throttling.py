"""Limits per client, counted in the project's cache: an anonymous client by its address, a
signed-in user by their account. The rates are read from the settings at each request (not
when DRF is imported), so that an installation's environment and the tests can set them."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    def get_rate(self):
        return settings.API_ANONYMOUS_RATE


class SignedInThrottle(UserRateThrottle):
    def get_rate(self):
        return settings.API_USER_RATE
