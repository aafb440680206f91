from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "beirat.ingest"
    label = "ingest"
    verbose_name = _("Import von Vorlagen")

    def ready(self) -> None:
        from beirat.core import contributions
        from beirat.ingest import retention
        from beirat.ingest.views import original_part

        contributions.register_part(
            contributions.PAPER_DOWNLOADS, "ingest/_paper_original.html", original_part
        )

        retention.register()
        _check_reference_patterns()


def _check_reference_patterns() -> None:
    """A template that cannot describe a paper number stops the start, not an import later."""
    from django.core.exceptions import ImproperlyConfigured

    from beirat.ingest.references import PatternError, configured_patterns

    try:
        configured_patterns()
    except PatternError as error:
        raise ImproperlyConfigured(f"BEIRAT_IMPORT_REFERENCE_PATTERNS: {error}") from None
