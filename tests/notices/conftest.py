import pytest
import time_machine

from tests.notices.support import london, staff


@pytest.fixture
def clock():
    """Frozen time, from 09:00 on 3 June 2024 (London); tests move it forward."""
    with time_machine.travel(london(3, 9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def staffed(world, clock):
    """The world with North rostered and everyone's duty hours recorded."""
    staff(world)
    return world
