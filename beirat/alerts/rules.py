"""Who may do what with e-mail alerts. Subscribing needs no account; the only staff page is the
privacy role's erasure of an address's alerts on request."""

from __future__ import annotations

from beirat.core.roles import AnyUser, Role, has_role


def can_erase_alerts(user: AnyUser) -> bool:
    """The privacy role answers requests to erase personal data (Art. 17 GDPR)."""
    return has_role(user, Role.PRIVACY)
