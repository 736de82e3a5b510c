"""What the portal knows about a person, gathered from every app without the portal importing
the apps (as ``pestor.sections`` does for pages).

An app registers, in its ``AppConfig.ready()``:

- ``register_collector(name=, collect=)``: ``collect(user=)`` returns JSON-safe data of what the
  person wrote or holds in the app, for the download of one's data (RODO art. 15 and 20);
- ``register_deletion_check(check)``: ``check(user=)`` returns the ``DeletionBlocker``s that
  must be resolved before the account can be deleted (an organisation's last owner must hand
  it over first).
"""

from collections.abc import Callable
from dataclasses import dataclass

_collectors: list[tuple[str, Callable]] = []
_deletion_checks: list[Callable] = []


@dataclass(frozen=True)
class DeletionBlocker:
    message: str
    url: str
    link_text: str


def register_collector(*, name: str, collect: Callable) -> None:
    if any(existing == name for existing, _collect in _collectors):
        raise ValueError(f"Personal data collector {name!r} is registered twice.")
    _collectors.append((name, collect))


def register_deletion_check(check: Callable) -> None:
    _deletion_checks.append(check)


def collect(*, user) -> dict:
    """``{app name: its data}`` for every registered app."""
    return {name: collect_app(user=user) for name, collect_app in _collectors}


def deletion_blockers(*, user) -> list[DeletionBlocker]:
    return [blocker for check in _deletion_checks for blocker in check(user=user)]
