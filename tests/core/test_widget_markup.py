"""Select boxes and input fields written in Python (beirat/core/widget_markup.py) are byte for
byte what their templates (beirat/templates/django/forms/widgets/select.html, Django's
input.html) write."""

import datetime

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from beirat.core.forms import KernFormRenderer
from beirat.core.widget_markup import INPUT_TEMPLATES, select_html, widget_html
from beirat.directory.models import Committee
from tests.factories.directory import CommitteeFactory

TRICKY = [("a&b", 'Fraktion "Grün" & <Co>'), ("x'y", mark_safe("<b>sicher</b>")), ("", "alle")]
GROUPED = [
    ("Fraktionen", [("1", "SPD"), ("2", "CDU")]),
    (gettext_lazy("Ausschüsse"), [("3", "Haupt & Finanz")]),
    ("4", "ohne Gruppe"),
]


def _both(widget, name, value, attrs=None):
    """The widget written by the template and by the renderer used for every form."""
    by_template = widget.render(name, value, attrs=attrs, renderer=TemplatesSetting())
    by_python = widget.render(name, value, attrs=attrs, renderer=KernFormRenderer())
    return by_template, by_python


@pytest.mark.parametrize(
    ("widget", "value", "attrs"),
    [
        (forms.Select(choices=TRICKY), "a&b", {"class": "kern-form-input__select", "id": "id_f"}),
        (forms.Select(choices=TRICKY), "", {"required": True, "disabled": False, "size": 3}),
        (forms.Select(choices=GROUPED), "3", {"aria-describedby": 'x"y'}),
        (forms.SelectMultiple(choices=GROUPED), ["1", "4"], {"id": "id_m"}),
        (forms.Select(choices=[(1, "eins"), (None, "nichts")]), 1, None),
        (forms.Select(choices=[]), None, None),
        (forms.NullBooleanSelect(), True, None),
    ],
)
def test_select_boxes_are_written_as_the_template_writes_them(widget, value, attrs):
    by_template, by_python = _both(widget, "feld", value, attrs)
    assert by_python == by_template
    context = widget.get_context("feld", value, attrs)
    assert select_html(context) is not None, "written by the template, not in Python"


@pytest.mark.django_db
def test_model_choices_are_written_as_the_template_writes_them():
    chosen = CommitteeFactory(name="Ausschuss für <Digitales> & Bürgerdienste")
    CommitteeFactory(name="Stadtrat")
    committees = Committee.objects.order_by("pk")
    field = forms.ModelChoiceField(committees, empty_label=gettext_lazy("alle"))
    with override("en"):
        by_template, by_python = _both(field.widget, "gremium", chosen.pk)
    assert by_python == by_template
    assert "Digitales" in by_python


def test_labels_the_template_would_localize_are_left_to_it():
    widget = forms.Select(choices=[("1", datetime.date(2021, 3, 4)), ("2", 1234.5)])
    with override("de"):
        by_template, by_python = _both(widget, "feld", "1")
    assert by_python == by_template
    assert select_html(widget.get_context("feld", "1", None)) is None


@pytest.mark.parametrize(
    ("widget", "value", "attrs"),
    [
        (forms.TextInput(), 'a "b" & <c>', {"class": "kern-form-input__input", "id": "id_t"}),
        (forms.TextInput(attrs={"type": "search", "autocomplete": "off"}), "", {"required": True}),
        (forms.EmailInput(attrs={"autocomplete": "email"}), None, {"aria-describedby": "x y"}),
        (forms.HiddenInput(), mark_safe("<sicher>"), {"id": "id_h", "disabled": False}),
        (forms.HiddenInput(), 42, None),
        (forms.NumberInput(), 1234.5, {"min": 1, "step": 0.5}),
        (forms.URLInput(), "https://example.org/?a=1&b=2", None),
        (forms.PasswordInput(render_value=True), "geheim", None),
        (forms.DateInput(), datetime.date(2021, 3, 4), None),
        (forms.DateTimeInput(), datetime.datetime(2021, 3, 4, 17, 5), None),
        (forms.TimeInput(), datetime.time(17, 5), None),
        (forms.CheckboxInput(), True, {"id": "id_c"}),
        (forms.CheckboxInput(), False, None),
    ],
)
def test_input_fields_are_written_as_the_template_writes_them(widget, value, attrs):
    with override("de"):
        by_template, by_python = _both(widget, "feld", value, attrs)
    assert by_python == by_template
    assert widget.template_name in INPUT_TEMPLATES
    with override("de"):
        context = widget.get_context("feld", value, attrs)
    assert widget_html(widget.template_name, context) is not None, "written by the template"


@pytest.mark.parametrize("template_name", sorted(INPUT_TEMPLATES))
def test_every_input_template_written_in_python_writes_input_html(template_name):
    context = {"widget": {"type": "text", "name": "n", "value": "v", "attrs": {"id": "i"}}}
    by_template = TemplatesSetting().render(template_name, context)
    assert widget_html(template_name, context) == by_template
