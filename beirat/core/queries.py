"""Reads of the core app."""

from __future__ import annotations

from django.db.models import QuerySet

from beirat.core.models import AuditEntry
from beirat.core.roles import AnyUser, Role, roles_of


def recent_audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor")


def own_roles(user: AnyUser) -> list[Role]:
    """The roles a signed-in person holds, for the workplace page to name them."""
    return sorted(roles_of(user))
