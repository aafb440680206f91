"""The parts of the page layout written once per language ({% unchanging %} in base.html)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import Context, RequestContext, Template, TemplateSyntaxError
from django.test import override_settings

pytestmark = pytest.mark.django_db


def _footer(client):
    body = client.get("/impressum/").content.decode()
    return body[body.index("<footer") : body.index("</footer>")]


def test_the_footer_is_written_in_each_language_the_visitor_reads(anonymous):
    german = _footer(anonymous)
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _footer(anonymous)
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    assert ">Barrierefreiheit</a>" in german
    assert ">Accessibility</a>" in english
    assert ">Barrierefreiheit</a>" in _footer(anonymous)


def test_a_changed_setting_is_shown_at_once(anonymous):
    assert settings.CITY["address"] in _footer(anonymous)
    moved = {**settings.CITY, "address": "Rathausplatz 1, 56068 Andernach"}

    with override_settings(CITY=moved):
        assert "Rathausplatz 1, 56068 Andernach" in _footer(anonymous)
    assert "Andernach" not in _footer(anonymous)


def test_a_part_written_without_a_request_is_not_kept(rf):
    template = Template("{% load layout %}{% unchanging %}[{{ place }}]{% endunchanging %}")
    assert template.render(Context({})) == "[]"
    request = rf.get("/")
    request.user = AnonymousUser()
    assert template.render(RequestContext(request, {"place": "Koblenz"})) == "[Koblenz]"
    assert template.render(RequestContext(request, {"place": "Mainz"})) == "[Koblenz]"


def test_a_block_inside_is_refused():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load layout %}{% unchanging %}{% block x %}{% endblock %}{% endunchanging %}")
