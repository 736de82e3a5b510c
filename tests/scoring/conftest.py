import pytest

from scoring import services
from scoring.models import Member
from tests.scoring.factories import make_call, make_panel


@pytest.fixture
def call(official):
    """A call managed by ``official`` (the consumer's can_manage) with two applications."""
    return make_call(manager=official)


@pytest.fixture
def applications(call):
    return list(call.applications.order_by("pk"))


@pytest.fixture
def panel(call, official, monitoring_member, pes_owner, pes_editor):
    """The committee: the monitoring member chairs, the PES owner (a PES representative) and the
    PES editor are members; the official manages the call without sitting on the panel."""
    panel = make_panel(call=call, actor=official)
    services.member_add(panel=panel, user=monitoring_member, role=Member.Role.CHAIR, actor=official)
    services.member_add(panel=panel, user=pes_owner, represents_pes=True, actor=official)
    services.member_add(panel=panel, user=pes_editor, actor=official)
    return panel


@pytest.fixture
def seats(panel):
    return {member.user_id: member for member in panel.members.all()}


@pytest.fixture
def chair(panel, monitoring_member):
    return panel.members.get(user=monitoring_member)


@pytest.fixture
def owner_seat(panel, pes_owner):
    return panel.members.get(user=pes_owner)


@pytest.fixture
def editor_seat(panel, pes_editor):
    return panel.members.get(user=pes_editor)
