import factory
from django.utils import timezone

from beirat.core.tracking_codes import new_tracking_code
from beirat.submissions.models import Submission, Topic


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Thema {n}")


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    tracking_code = factory.LazyFunction(new_tracking_code)
    title = "Parkplatz-App mit Echtzeitbelegung"
    text = "Eine App mit der Belegung der Parkhäuser wäre hilfreich."
    submitter_name = "Erika Musterfrau"
    submitter_email = "erika@example.org"
    consent_at = factory.LazyFunction(timezone.now)
