"""Read replicas: the anonymous visitors' pages read a streaming replica of PostgreSQL, and
everything else the primary.

``DATABASE_REPLICA_URLS`` (pestor.settings) adds one database alias per replica
(``replica_1``, ``replica_2``…) and lists them in ``DATABASE_REPLICAS``. Then:

- ``ReplicaReadsMiddleware`` marks a request whose reads may go to a replica: a ``GET`` or
  ``HEAD`` that carries no session cookie (an anonymous visitor: the lists, searches, maps,
  feeds and exports that make most of the traffic). The mark is a context variable, so it ends
  with the request (and follows a streamed export while it is sent).
- ``ReplicaRouter`` sends the reads of a marked request to a replica (one at random, for each
  query), and every write to the primary. The first write of a request ends its mark: whatever
  it reads after that comes from the primary, which has the write (a replica may lag it by a
  moment). Reads inside a transaction stay on the primary too, as do signed-in pages (a user
  reads back what they just saved), every other method, Celery tasks and management commands,
  which no request marks. Migrations run on the primary only: replicas copy it.

Why not django-multidb-router: it sends every read to a replica unless pinned (a Celery task
or a command would read a replica and write the primary), where the portal needs the opposite
default; the part that fits is the twenty lines below.
"""

import random
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# Whether the current request's reads may go to a replica (set by the middleware).
_replica_reads = ContextVar("pestor_replica_reads", default=False)

READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


def replicas() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        aliases = replicas()
        if aliases and _replica_reads.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return random.choice(aliases)
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # From the first write on, the request reads what it wrote.
        _replica_reads.set(False)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # A replica holds the primary's rows: an object read from one may point at the other's.
        same_data = {DEFAULT_DB_ALIAS, *replicas()}
        if obj1._state.db in same_data and obj2._state.db in same_data:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db in replicas():
            return False
        return None


def reads_replica(request) -> bool:
    """Whether the request's reads may go to a replica: an anonymous visitor's ``GET``."""
    return (
        bool(replicas())
        and request.method in READ_ONLY_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _streamed_with(iterator, allowed: bool):
    """The chunks of a streamed response, each produced under the request's mark (the view
    has returned by then: its rows are read as the file is sent)."""
    iterator = iter(iterator)
    while True:
        token = _replica_reads.set(allowed)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _replica_reads.reset(token)
        yield chunk


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        allowed = reads_replica(request)
        token = _replica_reads.set(allowed)
        try:
            response = self.get_response(request)
            # Still allowed if the view wrote nothing.
            allowed = _replica_reads.get()
        finally:
            _replica_reads.reset(token)
        if allowed and response.streaming and not getattr(response, "is_async", False):
            response.streaming_content = _streamed_with(response.streaming_content, allowed)
        return response
