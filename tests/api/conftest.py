"""API test helpers: a DRF client signed in as one of the world's people."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def client_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user=user)
        return client

    return make


@pytest.fixture
def other_world(db):
    """A second force with its own people, areas and cases."""
    from tests.builders import build_world

    return build_world(code="other", name="Other Constabulary")
