"""The Jinja2 environment: our templates plus the GOV.UK Frontend macros."""

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from vigil.web import filters
from vigil.web.govuk import GLOBALS as GOVUK_HELPERS


def environment(**options) -> Environment:
    loader = options.pop("loader", None)
    options["autoescape"] = True
    env = Environment(**options)  # noqa: S701 (autoescape is on)
    govuk = PrefixLoader(
        {"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}
    )
    env.loader = ChoiceLoader([loader, govuk] if loader else [govuk])
    env.globals.update({"static": static, "url": reverse})
    env.filters.update(filters.FILTERS)
    env.globals.update(GOVUK_HELPERS)
    return env
