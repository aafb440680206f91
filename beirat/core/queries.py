"""Reads of the core app."""

from __future__ import annotations

from django.db.models import QuerySet

from beirat.core.models import AuditEntry


def recent_audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor")
