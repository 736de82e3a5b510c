"""The portal's URLs plus the bare view ``bench_pages`` measures every page against: the same
middleware, no database, no template. Used only by the benchmark (``pestor.bench_wsgi`` and the
in-process client), never by the portal itself."""

from django.http import HttpResponse
from django.urls import path

from pestor.bench import BARE_PATH
from pestor.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path(BARE_PATH.lstrip("/"), bare, name="bench-bare"), *portal_urlpatterns]
