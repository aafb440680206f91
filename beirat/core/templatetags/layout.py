"""``{% unchanging %}``: a part of the page layout that reads the same on every page, written
once per language.

The head's style sheets, the brand and the footer are made of settings, addresses and
translations only: nothing of the request, the visitor or the data. The template engine took
about half of the layout's time to write them on every page; now each is written the first
time it is needed in a language and kept in the compiled template (the cached loader keeps it
for the life of the process). Only what is written for a request is kept (the context
processors give the city and the links); a changed setting (tests) forgets every kept part.
Blocks inside are refused: a page that filled one would get another page's part.
"""

from __future__ import annotations

import weakref
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

_KEPT_PARTS: weakref.WeakSet[UnchangingNode] = weakref.WeakSet()


class UnchangingNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        self.written: dict[tuple[str, str], SafeString] = {}
        _KEPT_PARTS.add(self)

    def render(self, context: Context) -> SafeString:
        if getattr(context, "request", None) is None:
            # Without a request the context processors did not run (no city, no links):
            # written, but not kept for the pages that have them.
            return self.nodelist.render(context)
        key = (get_language(), get_script_prefix())
        written = self.written.get(key)
        if written is None:
            written = self.written[key] = self.nodelist.render(context)
        return written


@register.tag
def unchanging(parser: Parser, token: Token) -> UnchangingNode:
    nodelist = parser.parse(("endunchanging",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% unchanging %} cannot hold a {% block %}.")
    return UnchangingNode(nodelist)


def _forget(**_kwargs: Any) -> None:
    for node in list(_KEPT_PARTS):
        node.written.clear()


setting_changed.connect(_forget, dispatch_uid="beirat.core.templatetags.layout")
