"""Demo data of open data: the files built from the other apps' demo data, so that the
catalogue lists them at once (in production the nightly task builds them)."""

from . import changes, services


def load(context) -> str:
    # The other apps' demos changed their data inside this transaction: the files built here
    # hold all of it, so the rebuilds they asked for would only build them again.
    changes.discard_pending()
    built = services.datasets_build_all()
    return f"otwarte dane: {built} plików zbiorów danych"
