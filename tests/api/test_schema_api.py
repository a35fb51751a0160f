"""The OpenAPI schema validates without warnings; the docs page runs under our CSP."""

import re
from io import StringIO

from django.contrib.staticfiles import finders
from django.core.management import call_command


def test_schema_validates_without_warnings(db):
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    assert "/api/v1/roster/designated/:" in schema
    assert "/api/v1/cases/{reference}/gradings/{sequence}/endorsements/:" in schema


def test_schema_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/cases/" in response.json()["paths"]


def test_docs_page_has_no_inline_script_and_loads_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert len(scripts) == 3
    for attributes, body in scripts:
        assert 'src="' in attributes
        assert body.strip() == ""
    assert "<style" not in html
    assert "style=" not in html
    assert "cdn" not in html.lower()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    for source in sources:
        assert source.startswith("/"), source  # same origin only
    static = [s for s in sources if s.startswith("/static/")]
    assert static
    for url in static:
        assert finders.find(url.removeprefix("/static/")), url
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_docs_init_script_is_served_as_javascript(client):
    response = client.get("/api/docs/", {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()
