"""Where a consuming app tells scoring about the model that owns its panels.

In its ``AppConfig.ready()``::

    from scoring import registry

    registry.register(
        Call,
        items=lambda call: call.applications.filter(status="submitted").order_by("pk"),
        label=lambda application: application.organisation.name,
        url=lambda application: application.get_absolute_url(),   # for managers; optional
        detail_template="premises/_application_for_committee.html",  # or detail=callable
        can_manage=lambda user, call: premises_permissions.can_manage_call(user, call),
    )

- ``items(owner)``: a queryset of what the panel scores, in the order the member lists it. A
  member reaches an item only through it: an item of another owner is a 404.
- ``label(item)``: the item's name in lists, results and exports (``str`` by default). Keep it
  free of queries beyond what ``items()`` joins: the lists call it once per row.
- ``url(item)``: a link to the item's own page, shown to the panel's managers; optional.
- ``detail_template`` (rendered with ``item``, ``panel`` and ``member``) or ``detail(item,
  member)`` returning HTML built as safe (``format_html``; anything else is escaped): what a
  member sees of an item while scoring it, and only after declaring no conflict of interest.
  Without either, the member sees the label only.
- ``can_manage(user, owner)``: who manages the panel beside its chair (adds and removes members,
  closes scoring, sees the results); the installation's administrators always may.
- ``excluded(owner)``: optional; an iterable of ``(item, reason)`` for what the owner keeps out
  of scoring (grants: an offer that failed the formal check). Such an item is not scored (no
  row in the to-do list, its sheet a 404, the services refuse it, the ranking leaves it out even
  if sheets exist) and the results and the exports list it apart with its reason. It may name
  items that ``items()`` also lists or not. Called once per request that needs it.
- ``member_refusal(user, owner, represents_pes)``: optional; why ``user`` may not sit on the
  owner's panel (as a representative of a PES when ``represents_pes``), or ``""`` when they may.
  Adding a member checks it and shows the reason on the e-mail field; without the hook anyone
  with an account may be added.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class OwnerType:
    model: type[Model]
    items: Callable[[Model], QuerySet]
    can_manage: Callable[[object, Model], bool]
    label: Callable[[Model], str] = str
    url: Callable[[Model], str] | None = None
    detail_template: str | None = None
    detail: Callable[[Model, object], str] | None = None
    excluded: Callable[[Model], Iterable[tuple[Model, str]]] | None = None
    member_refusal: Callable[[object, Model, bool], str] | None = None


_OWNERS: dict[type[Model], OwnerType] = {}


def register(model: type[Model], **options) -> OwnerType:
    """Declare ``model`` as an owner of panels (see the module's docstring for ``options``)."""
    if model in _OWNERS:
        raise ValueError(f"{model.__name__} is already registered with scoring.")
    if options.get("detail_template") and options.get("detail"):
        raise ValueError("Give either detail_template or detail, not both.")
    owner_type = OwnerType(model=model, **options)
    _OWNERS[model] = owner_type
    return owner_type


def unregister(model: type[Model]) -> None:
    _OWNERS.pop(model, None)


def owner_type_for(owner_or_model) -> OwnerType:
    """The registration of an owner instance or model; LookupError if it has none."""
    model = owner_or_model if isinstance(owner_or_model, type) else type(owner_or_model)
    model = model._meta.concrete_model
    try:
        return _OWNERS[model]
    except KeyError:
        raise LookupError(f"{model.__name__} is not registered with scoring.") from None


def is_registered(model: type[Model]) -> bool:
    return model._meta.concrete_model in _OWNERS
