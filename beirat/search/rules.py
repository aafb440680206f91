"""Who may find what. The only place that decides it: every query filters by these audiences."""

from __future__ import annotations

from beirat.core.roles import AnyUser, Role, has_role
from beirat.search.sources import COUNCIL, PUBLIC, TRIAGE


def audiences_of(user: AnyUser) -> tuple[str, ...]:
    audiences = [PUBLIC]
    if has_role(user, Role.CLERK, Role.ADMIN):
        audiences.append(COUNCIL)
    if has_role(user, Role.TRIAGE, Role.CLERK, Role.ADMIN):
        audiences.append(TRIAGE)
    return tuple(audiences)
