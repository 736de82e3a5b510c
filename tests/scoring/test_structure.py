"""scoring sits below every app that scores (DESIGN: every app may use pestor, directory and
scoring), so it imports none of them: its consumers register with it instead."""

from tests.test_demo_structure import forbidden_imports

CONSUMERS = {"exchange", "demand", "equipment_bank", "premises", "grants", "community"}


def test_scoring_imports_none_of_its_consumers_nor_monitoring():
    assert forbidden_imports("scoring", CONSUMERS | {"partnerships", "monitoring"}) == {}
