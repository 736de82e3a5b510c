"""The portal's URLs plus one view that fails, for the 500 page's tests."""

from django.urls import path

from pestor.urls import *  # noqa: F403
from pestor.urls import urlpatterns as portal_urlpatterns


def broken_view(request):
    raise RuntimeError("secret detail of the failure")


def failing_context_processor(request):
    raise RuntimeError("the database is gone")


urlpatterns = [path("awaria/", broken_view), *portal_urlpatterns]
