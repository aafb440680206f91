"""Reads of the core app."""

from __future__ import annotations

from django.db.models import QuerySet

from beirat.core.models import AuditEntry, User
from beirat.core.roles import AnyUser, Role, roles_of


def recent_audit_entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor")


def own_roles(user: AnyUser) -> list[Role]:
    """The roles a signed-in person holds, for the workplace page to name them."""
    return sorted(roles_of(user))


def board_member_addresses() -> set[str]:
    """The e-mail addresses of every account in the board members' group, in lower case. The
    identity shield: no operator reads them (the outbox in the Django admin masks them)."""
    found = User.objects.filter(groups__name=Role.BOARD_MEMBER.value).exclude(email="")
    return {address.lower() for address in found.values_list("email", flat=True)}
