"""The settings the test suite runs with: the portal's own (pestor.settings) as a developer's
machine loads them, with DEBUG on in the environment, so the development SECRET_KEY and the
plain static storage apply (pytest-django still runs the tests themselves with DEBUG False).
The production settings are tested in fresh processes (tests/test_deploy_settings.py)."""

import os

os.environ["DEBUG"] = "true"

from pestor.settings import *  # noqa: F403

# A stand-in consumer of scoring/ (a call with applications) until premises, grants and the
# award register their own: tests/scoring/consumer.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.scoring.consumer"]  # noqa: F405

# A replica for the router's tests (tests/pestor/test_replicas.py): another connection to the
# test database (a mirror), which they list in DATABASE_REPLICAS. No other test reads it.
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "TEST": {"MIRROR": "default"},
}
