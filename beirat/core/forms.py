"""Forms rendered in the KERN UX design system, accessible by default.

Every form of the project derives from ``Form`` or ``ModelForm`` below: fields get KERN's classes,
errors are announced next to the field and linked with ``aria-describedby``, and what the user
typed is kept on error (Django's bound forms do that; we never reset them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from beirat.core.form_tokens import PublicFormMixin
from beirat.core.widget_markup import widget_html

_CHECK_WIDGETS = (forms.CheckboxInput,)
_CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


class KernBoundField(BoundField):
    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = [str(attrs.get("class") or ""), _kern_class(widget, self)]
        attrs["class"] = " ".join(name for name in classes if name)
        if self.errors:
            described = [str(attrs.get("aria-describedby") or ""), f"{self.auto_id}_error"]
            attrs["aria-describedby"] = " ".join(name for name in described if name)
        return attrs


def _kern_class(widget: forms.Widget, field: BoundField) -> str:
    error = bool(field.errors)
    if isinstance(widget, _CHECK_WIDGETS):
        return "kern-form-check__checkbox" + (" kern-form-check__checkbox--error" if error else "")
    if isinstance(widget, _CHOICE_WIDGETS):
        return ""
    if isinstance(widget, forms.Select):
        return "kern-form-input__select" + (" kern-form-input__select--error" if error else "")
    return "kern-form-input__input" + (" kern-form-input__input--error" if error else "")


class KernFormRenderer(TemplatesSetting):
    """Every form of the site, the account library's included, renders through KERN UX."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = KernBoundField

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        """Select boxes and input fields are written in Python (beirat/core/widget_markup.py:
        the same markup, several times faster than their templates); the rest by templates."""
        written = widget_html(template_name, context)
        if written is not None:
            return written
        return str(super().render(template_name, context, request))


class Form(forms.Form):
    bound_field_class = KernBoundField
    default_renderer = KernFormRenderer
    required_css_class = "is-required"


def _model_formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")  # Django 6's default, chosen now
    return field.formfield(**kwargs)


class ModelForm(forms.ModelForm):  # type: ignore[type-arg]
    bound_field_class = KernBoundField
    default_renderer = KernFormRenderer
    required_css_class = "is-required"

    # Subclasses write `class Meta(ModelForm.Meta)`: Django reads the callback from their Meta.
    class Meta:
        formfield_callback = _model_formfield

    def _get_validation_exclusions(self) -> set[str]:
        # Fields the view set on the instance (the city, the committee of a membership …) are not
        # on the form, but constraints that involve them must still be checked here, so that the
        # user sees every problem at once instead of one after the other.
        exclusions: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        preset = {
            field.name
            for field in self.instance._meta.fields
            if field.name not in self.fields
            and getattr(self.instance, field.attname, None) is not None
        }
        return exclusions - preset


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several files at once."""

    allow_multiple_selected = True


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ConfirmForm(Form):
    """The second step of every destructive action."""

    confirm = forms.BooleanField(
        label=_("Ja, ich bin sicher."),
        required=True,
        error_messages={"required": _("Bitte bestätigen Sie den Vorgang.")},
    )


class AccessibilityFeedbackForm(PublicFormMixin, Form):
    """BITV 2.0 § 7: a way to report barriers, answered by the city's accessibility contact."""

    message = forms.CharField(
        label=_("Welche Barriere ist Ihnen aufgefallen?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Bitte nennen Sie die Seite und beschreiben Sie, was nicht funktioniert hat."),
    )
    page = forms.CharField(label=_("Betroffene Seite"), max_length=300, required=False)
    email = forms.EmailField(
        label=_("E-Mail-Adresse für eine Antwort"),
        required=False,
        help_text=_("Nur wenn Sie eine Antwort wünschen. Wir verwenden sie nur dafür."),
    )


def run_service(form: forms.BaseForm, action: Callable[[], object]) -> bool:
    """Call a service for a valid form; put its ValidationError next to the fields it names.

    Returns True when the service succeeded. Nothing is half-saved: services are atomic.
    """
    try:
        action()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                target = field if field in form.fields else None
                for message in messages:
                    form.add_error(target, message)
        else:
            for message in error.messages:
                form.add_error(None, message)
        return False
    return True
