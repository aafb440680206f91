import datetime

import factory
from django.utils import timezone

from beirat.board.models import BoardStatement, ExpertRequest, Recommendation


class ExpertRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertRequest

    title = "Offenes WLAN in der Altstadt"
    question = "Welche Technik empfiehlt der Beirat für ein offenes WLAN in der Altstadt?"
    excerpt = "Ich wünsche mir freies WLAN am Görresplatz."
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class BoardStatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardStatement

    title = "Offenes WLAN in der Altstadt"
    text = "Der Beirat empfiehlt ein Netz nach dem Freifunk-Modell mit städtischen Standorten."
    published_at = factory.LazyFunction(timezone.now)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    title = "Freifunk-Standorte auf städtischen Gebäuden"
    text = "Die Stadt stellt Dachflächen für Zugangspunkte zur Verfügung."
