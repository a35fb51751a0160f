"""Page tests run at a fixed moment: 10 June 2024, 11:00 UTC (12:00 in London, BST)."""

import re
from datetime import UTC, datetime

import pytest
import time_machine

from tests.builders import build_world

NOW = datetime(2024, 6, 10, 11, 0, tzinfo=UTC)


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, travel):
    """The shared test world, built at NOW so every record is known by then."""
    return build_world()


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def text(response) -> str:
    """The page's text with tags removed and whitespace collapsed, for content checks."""
    body = response.content.decode()
    body = re.sub(r"<(script|svg)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", body).strip()
