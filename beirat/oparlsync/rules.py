"""Who may register and run sources: the council office and administrators, like every paper
change."""

from __future__ import annotations

from beirat.core.roles import AnyUser, Role, has_role


def can_manage_sources(user: AnyUser) -> bool:
    return has_role(user, Role.CLERK, Role.ADMIN)
