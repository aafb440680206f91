from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from beirat.core.models import AuditEntry, OutboxMail, User
from beirat.core.queries import board_member_addresses

admin.site.register(User, UserAdmin)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "actor_label", "action", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_label", "actor_label"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        # Entries are written by the services only: a hand-made one would be a forged record,
        # and its form would list every account (board members included) as possible actors.
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # the audit trail is append-only

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


# The outbox's page, read only: addresses only through the masking displays below.
_OUTBOX_FIELDS = (
    "created_at",
    "status",
    "shown_from",
    "shown_recipients",
    "shown_cc",
    "shown_bcc",
    "shown_reply_to",
    "subject",
    "body",
    "html_body",
    "headers",
    "attempts",
    "next_attempt_at",
    "last_error",
    "sent_at",
)


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read only. Identity shield: a board member's address is never shown (a mail queued for a
    member hides all its recipients, others hide each address that belongs to a member)."""

    list_display = ["created_at", "subject", "shown_recipients", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    fields = _OUTBOX_FIELDS
    readonly_fields = _OUTBOX_FIELDS

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # mail is queued by the code, never typed in here

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # an address typed in here would bypass the shield's marking

    @admin.display(description=_("Absender"))
    def shown_from(self, mail: OutboxMail) -> str:
        return _shown(mail, [mail.from_email], recipients=False)

    @admin.display(description=_("Empfänger"))
    def shown_recipients(self, mail: OutboxMail) -> str:
        return _shown(mail, mail.recipient_list)

    @admin.display(description=_("Kopie an"))
    def shown_cc(self, mail: OutboxMail) -> str:
        return _shown(mail, mail.cc_list)

    @admin.display(description=_("Blindkopie an"))
    def shown_bcc(self, mail: OutboxMail) -> str:
        return _shown(mail, mail.bcc_list)

    @admin.display(description=_("Antwort an"))
    def shown_reply_to(self, mail: OutboxMail) -> str:
        return _shown(mail, mail.reply_to_list, recipients=False)


def _shown(mail: OutboxMail, addresses: list[str], *, recipients: bool = True) -> str:
    members = board_member_addresses()
    hidden = str(_("Beiratsmitglied (Adresse verborgen)"))
    return ", ".join(
        hidden if (recipients and mail.to_board_member) or address.lower() in members else address
        for address in addresses
    )
