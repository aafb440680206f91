"""The markup of select boxes and input fields written in Python, byte for byte what their
templates write.

A form's widgets are most of its time when the template engine writes them: Django puts every
option of a select box in a group of its own, so each option costs a loop, several conditions
and lookups, and every input field is two template includes. ``widget_html`` writes the same
markup as beirat/templates/django/forms/widgets/select.html and Django's input.html (with
attrs.html); tests/core/test_widget_markup.py compares them on every kind of option and input,
so a change of a template that is not made here too fails there. Whatever it does not know how
to write the same way (an option with its own template, a label that the template would
localize, such as a number or a date) it leaves to the template: it answers None.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.html import conditional_escape

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# Django's templates of these widgets are nothing but an include of input.html.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "checkbox", "color", "date", "datetime", "email", "hidden", "number", "password",
        "search", "tel", "text", "time", "url",
    )
)  # fmt: skip


def widget_html(template_name: str, context: Mapping[str, Any]) -> str | None:
    """The widget's markup, or None where its template must write it."""
    if template_name == SELECT_TEMPLATE:
        return select_html(context)
    if template_name in INPUT_TEMPLATES:
        return input_html(context)
    return None


def input_html(context: Mapping[str, Any]) -> str | None:
    """input.html: type, name, the value unless there is none, the attributes."""
    widget = context["widget"]
    value = widget["value"]
    if value is None:
        written_value = ""
    elif isinstance(value, str):
        written_value = f' value="{conditional_escape(value)}"'
    else:
        return None
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{written_value}{_attributes(widget["attrs"])}>'


def select_html(context: Mapping[str, Any]) -> str | None:
    """The select box of ``context["widget"]``, or None where the template must write it."""
    widget = context["widget"]
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            if not _is_text(group_name):
                return None
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            written = _option(option)
            if written is None:
                return None
            parts.append(written)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips the template's last line break
    return "".join(parts)


def _option(option: Mapping[str, Any]) -> str | None:
    label = option["label"]
    if option["template_name"] != OPTION_TEMPLATE or not _is_text(label):
        return None
    if isinstance(option["value"], tuple):  # ``stringformat:"s"`` would fail on it
        return None
    value = conditional_escape(option["value"])
    attributes = _attributes(option["attrs"])
    return f'\n  <option value="{value}"{attributes}>{conditional_escape(label)}</option>\n'


def _attributes(attrs: Mapping[str, Any]) -> str:
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(_attribute(name, value) for name, value in attrs.items() if value is not False)


def _attribute(name: Any, value: Any) -> str:
    if value is True:
        return f" {conditional_escape(name)}"
    return f' {conditional_escape(name)}="{conditional_escape(_formatted(value))}"'


def _formatted(value: Any) -> Any:
    """``|stringformat:"s"``: the value as text, still safe where it was marked safe."""
    return value if hasattr(value, "__html__") else str(value)


def _is_text(value: Any) -> bool:
    """A label the template writes as it is: text (a translation too), not a number or a date
    it would localize."""
    return isinstance(value, str | Promise)
