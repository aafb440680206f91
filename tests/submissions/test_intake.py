"""Handing in a submission without an account: code, mail, protection, bad input."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from PIL import Image

from beirat.core.models import AuditEntry, OutboxMail
from beirat.core.tracking_codes import normalize_code
from beirat.submissions.models import Attachment, Event, Submission
from tests.factories.submissions import TopicFactory
from tests.submissions import files

NEW = "/eingaben/neu/"

pytestmark = pytest.mark.django_db


def form_data(client, **overrides):
    """The form as a browser sends it: with the token of a freshly served page."""
    page = client.get(NEW)
    data = {
        "issued": page.context["form"]["issued"].initial,
        "title": "Parkplatz-App",
        "text": "Eine App mit der Belegung der Parkhäuser.",
        "name": "Erika Musterfrau",
        "email": "erika@example.org",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def deliver_outbox():
    from beirat.core.mail import deliver_mail, due_mails

    for mail_id in due_mails().values_list("id", flat=True):
        deliver_mail(mail_id=mail_id)


def test_submission_gets_a_code_a_tracking_page_and_one_confirmation_mail(
    anonymous, django_capture_on_commit_callbacks
):
    topic = TopicFactory(name="Mobilität und Verkehr")

    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(NEW, form_data(anonymous, topic=topic.pk), follow=True)

    submission = Submission.objects.get()
    assert response.redirect_chain[-1][0] == submission.get_absolute_url()
    assert normalize_code(submission.tracking_code) == submission.tracking_code
    assert submission.tracking_code in response.content.decode()
    assert "Vielen Dank! Ihre Eingabe ist eingegangen." in response.content.decode()
    assert [e.kind for e in submission.events.all()] == [Event.Kind.RECEIVED]
    deliver_outbox()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert submission.tracking_code in body
    assert f"/eingaben/{submission.tracking_code}/bestaetigen/" in body


def test_the_confirmation_mail_is_stored_in_the_submissions_own_transaction(
    anonymous, django_capture_on_commit_callbacks
):
    # No on-commit callback runs, as when the process is killed right after the commit: the
    # mail is in the outbox all the same, and the timer (send_queued_mail) delivers it.
    with django_capture_on_commit_callbacks(execute=False):
        anonymous.post(NEW, form_data(anonymous))

    submission = Submission.objects.get()
    (queued,) = OutboxMail.objects.all()
    assert (queued.recipient_list, queued.subject) == (
        ["erika@example.org"],
        f"Ihre Eingabe {submission.tracking_code}",
    )


def test_no_address_no_mail(anonymous, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(NEW, form_data(anonymous, email="", name=""))

    assert Submission.objects.count() == 1
    assert not OutboxMail.objects.exists()


def test_audit_trail_holds_no_contact_data(anonymous):
    anonymous.post(NEW, form_data(anonymous))

    entry = AuditEntry.objects.get(action="submissions.submit")
    assert entry.actor_label == "Einreichende Person"
    assert "erika" not in str(entry.changes).lower()
    assert "Musterfrau" not in str(entry.changes)


def test_honeypot_filled_is_refused_and_nothing_stored(anonymous):
    response = anonymous.post(NEW, form_data(anonymous, website="http://spam.example"))

    assert response.status_code == 200
    assert "konnte nicht angenommen werden" in response.content.decode()
    assert not Submission.objects.exists()


def test_robot_posting_at_once_gets_a_form_error(anonymous, settings):
    settings.BEIRAT_FORM_MIN_SECONDS = 5

    response = anonymous.post(NEW, form_data(anonymous))

    assert response.status_code == 200
    assert "Das ging sehr schnell" in response.content.decode()
    assert not Submission.objects.exists()


def test_many_submissions_from_one_client_get_429(anonymous):
    for _ in range(10):
        assert anonymous.post(NEW, form_data(anonymous)).status_code == 302

    response = anonymous.post(NEW, form_data(anonymous))

    assert response.status_code == 429
    assert Submission.objects.count() == 10


def test_overlong_text_is_refused_and_kept_in_the_form(anonymous):
    text = "Idee " * 20_000  # 100,000 characters; 99,999 once the last space is stripped

    response = anonymous.post(NEW, form_data(anonymous, text=text))

    assert response.status_code == 200
    assert "Ihr Text hat 99.999 Zeichen; möglich sind 20.000." in response.content.decode()
    assert response.context["form"]["text"].value() == text
    assert not Submission.objects.exists()


def test_html_is_shown_as_text(anonymous):
    anonymous.post(NEW, form_data(anonymous, title="<script>alert(1)</script>"))

    page = anonymous.get(Submission.objects.get().get_absolute_url())

    assert "<script>alert(1)</script>" not in page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()


def test_invalid_utf8_gives_a_form_not_a_500(anonymous):
    response = anonymous.post(
        NEW, b"title=%ff%fe&text=%c3%28", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200


# Attachments ----------------------------------------------------------------------------------


def test_pdf_is_stored_under_a_name_of_our_own(anonymous):
    anonymous.post(NEW, {**form_data(anonymous), "attachments": [files.pdf("../../x.pdf")]})

    attachment = Attachment.objects.get()
    assert attachment.name == "x.pdf"
    assert attachment.content_type == "application/pdf"
    assert ".." not in attachment.file.name
    assert attachment.file.name.startswith("submissions/")
    assert attachment.file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (files.executable, "ist keine PDF-, PNG-, JPEG-, ODT- oder DOCX-Datei"),
        (files.zip_bomb, "entpackt ungewöhnlich groß"),
        (files.huge_png, "hat mehr als 40 Megapixel"),
    ],
)
def test_dangerous_files_are_refused_and_nothing_is_stored_half(anonymous, upload, message):
    data = {**form_data(anonymous), "attachments": [files.pdf(), upload()]}

    response = anonymous.post(NEW, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Bitte wählen Sie Ihre Anhänge noch einmal aus." in response.content.decode()
    assert response.context["form"]["title"].value() == "Parkplatz-App"
    assert not Submission.objects.exists()
    assert not Attachment.objects.exists()


def test_image_metadata_is_removed(anonymous):
    anonymous.post(NEW, {**form_data(anonymous), "attachments": [files.jpeg_with_location()]})

    stored = Attachment.objects.get()
    with Image.open(io.BytesIO(stored.file.read())) as image:
        assert image.size == (40, 30)
        assert not image.getexif()


def test_docx_is_accepted_by_content(anonymous):
    anonymous.post(NEW, {**form_data(anonymous), "attachments": [files.docx("idee.bin")]})

    assert Attachment.objects.get().content_type.endswith("wordprocessingml.document")


def test_image_just_over_the_limit_is_refused_before_decoding(anonymous):
    response = anonymous.post(
        NEW, {**form_data(anonymous), "attachments": [files.huge_png(side=7_000)]}
    )

    assert "hat mehr als 40 Megapixel" in response.content.decode()


def test_at_most_five_files(anonymous):
    uploads = [files.pdf(f"{n}.pdf") for n in range(6)]

    response = anonymous.post(NEW, {**form_data(anonymous), "attachments": uploads})

    assert "höchstens 5 Dateien" in response.content.decode()
    assert not Submission.objects.exists()


def test_form_page_is_served_without_a_cookie(anonymous):
    response = anonymous.get(reverse("submissions:new"))

    assert response.status_code == 200
    assert not response.cookies


def test_audit_log_never_shows_the_tracking_code(anonymous):
    anonymous.post(NEW, form_data(anonymous))

    code = Submission.objects.get().tracking_code
    entry = AuditEntry.objects.get(action="submissions.submit")
    assert code not in entry.object_label
    assert code[:4] not in entry.object_label
