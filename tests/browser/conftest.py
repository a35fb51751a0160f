"""Shared by the browser journeys: every page is checked with axe and for CSP violations."""

import pytest


@pytest.fixture
def csp_violations(page):
    """Console messages about the Content-Security-Policy; a journey asserts there are none."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found
