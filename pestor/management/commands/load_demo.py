"""Load a realistic demo: Toruń and its neighbour Lubicz, their departments, one account for each
role, and whatever the installed apps add to it (PES, offers, notices…).

``python manage.py load_demo`` fills an empty database and refuses to touch one that holds data;
``--if-empty`` turns the refusal into a no-op that says so (and still lists the demo accounts),
so ``make run`` may call it every time.

Each installed app with a ``demo`` module contributes its part, in the order of INSTALLED_APPS;
``pestor.demo`` describes what such a module defines. The command knows no app but its own, so
that the portal keeps depending on nothing above it.
"""

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from pestor import notifications
from pestor.demo import DEMO_ACCOUNTS, DemoContext, format_demo_accounts
from pestor.models import User


def demo_modules() -> list[tuple[str, ModuleType]]:
    """``(app label, demo module)`` of every installed app that has one, in INSTALLED_APPS order."""
    found = []
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "demo"):
            found.append((app_config.label, import_module(f"{app_config.name}.demo")))
    return found


class Command(BaseCommand):
    help = (
        "Ładuje dane demonstracyjne: Toruń i gminę Lubicz, ich wydziały, konta dla każdej roli "
        "oraz dane każdej aplikacji (PES, oferty, ogłoszenia). / Loads the demo data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=(
                "Nic nie rób, jeśli w bazie są już gminy lub organizacje. / "
                "Do nothing when the database already holds municipalities or organisations."
            ),
        )

    @transaction.atomic
    def handle(self, *args, if_empty=False, **options):
        modules = demo_modules()
        existing = ", ".join(
            part for _label, module in modules if (part := _optional(module, "existing_data", ""))
        )
        if existing:
            if if_empty:
                self.stdout.write(
                    f"Baza danych nie jest pusta ({existing}); pomijam dane demonstracyjne. / "
                    "The database is not empty; demo data not loaded."
                )
                self.write_demo_accounts(modules, present_only=True)
                return
            raise CommandError(
                f"Baza danych nie jest pusta ({existing}); dane demonstracyjne ładuje się tylko do "
                "pustej bazy. Użyj --if-empty, aby w takim przypadku nic nie robić. / "
                "The database is not empty; the demo loads into an empty database only."
            )
        emails = [
            email for _label, module in modules for email in getattr(module, "DEMO_EMAILS", ())
        ]
        taken = sorted(User.objects.filter(email__in=emails).values_list("email", flat=True))
        if taken:
            raise CommandError(
                f"Konta o adresach {', '.join(taken)} już istnieją; usuń je albo załaduj demo do "
                "pustej bazy. / These demo accounts already exist."
            )
        context = DemoContext.start()
        with notifications.muted():
            summaries = [(label, module.load(context)) for label, module in modules]
        self.stdout.write(self.style.SUCCESS("Załadowano dane demonstracyjne / Demo data loaded:"))
        for label, summary in summaries:
            self.stdout.write(f"  {label}: {summary}")
        self.write_demo_accounts(modules)

    def write_demo_accounts(self, modules, *, present_only=False):
        accounts = DEMO_ACCOUNTS
        if present_only:
            present = set(
                User.objects.filter(email__in=[a.email for a in accounts]).values_list(
                    "email", flat=True
                )
            )
            accounts = tuple(account for account in accounts if account.email in present)
            if not accounts:
                return
        notes = [
            note for _label, module in modules if (note := getattr(module, "ACCOUNTS_NOTE", ""))
        ]
        self.stdout.write(format_demo_accounts(accounts, notes=notes))


def _optional(module: ModuleType, name: str, default):
    function = getattr(module, name, None)
    return function() if function is not None else default
