"""The signed links of alert mails. Each names a row and its random key, never the address:
a link in a log or a forwarded mail tells nobody whose it is.

* confirm: turns an unconfirmed subscription on; valid CONFIRM_MAX_AGE.
* unsubscribe: ends one subscription; valid as long as the subscription exists (old mails must
  keep working, RFC 8058).
* manage: lists and changes every alert of one address; valid MANAGE_MAX_AGE, every alert mail
  carries a fresh one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing

CONFIRM_SALT = "beirat.alerts.confirm"
UNSUBSCRIBE_SALT = "beirat.alerts.unsubscribe"
MANAGE_SALT = "beirat.alerts.manage"
CONFIRM_MAX_AGE = datetime.timedelta(days=3)
MANAGE_MAX_AGE = datetime.timedelta(days=60)


class BadLink(Exception):
    """A link that was changed, cut short or made up."""


class ExpiredLink(BadLink):
    """A genuine link whose time is over."""


@dataclass(frozen=True)
class Reference:
    pk: int
    key: str


def make(salt: str, pk: int, key: str) -> str:
    return signing.dumps([pk, key], salt=salt, compress=False)


def read(salt: str, token: str, max_age: datetime.timedelta | None = None) -> Reference:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ExpiredLink from error
    except signing.BadSignature as error:
        raise BadLink from error
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        raise BadLink
    return Reference(pk=value[0], key=str(value[1]))
