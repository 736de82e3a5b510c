"""Writing to the append-only event log. Only services call this."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .models import AuditEvent


def snapshot(obj, fields) -> dict:
    """The values of ``fields`` on ``obj`` as JSON-safe data (for before/after)."""
    data = {}
    for name in fields:
        value = getattr(obj, name)
        if hasattr(value, "all") and callable(value.all):  # many-to-many
            value = sorted(str(item) for item in value.all())
        elif hasattr(value, "_meta"):
            value = str(value)
        data[name] = value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record(
    *, actor, action: str, target, before=None, after=None, comment: str = "", at=None
) -> AuditEvent:
    """Append one event. ``at`` is for loaders of historical data only; services omit it.

    The names of the actor and the target are copied, so the event still reads after either
    is deleted."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        created_at=at or timezone.now(),
        actor=actor,
        actor_repr=actor.display_name[:255] if actor is not None else "",
        action=action,
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=str(target.pk),
        object_repr=str(target)[:255],
        before=before or {},
        after=after or {},
        comment=comment,
    )
