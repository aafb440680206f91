from django.urls import path

from beirat.board import feeds, recommendation_views, staff_views, views
from beirat.core.feeds import kept

app_name = "board"
area = "arbeitsplatz/beirat/"
office = "arbeitsplatz/amt/empfehlungen/"

urlpatterns = [
    path("beirat/", views.board, name="public"),
    path("beirat/stellungnahmen/", views.statements, name="statements"),
    path("beirat/stellungnahmen/feed/", kept(feeds.StatementsFeed()), name="statements_feed"),
    path("beirat/stellungnahmen/<int:pk>/", views.statement, name="statement"),
    path("beirat/berichte/<int:pk>/datei/", views.report_file, name="public_report_file"),
    path("empfehlungen/", views.recommendations, name="recommendations"),
    path("empfehlungen/export.csv", views.recommendations_csv, name="recommendations_csv"),
    path("empfehlungen/feed/", kept(feeds.RecommendationsFeed()), name="recommendations_feed"),
    path("empfehlungen/<int:pk>/", views.recommendation, name="recommendation"),
    path(area, staff_views.workplace, name="workplace"),
    path(f"{area}fachfragen/neu/", staff_views.ask, name="ask"),
    path(f"{area}fachfragen/<int:pk>/", staff_views.request_detail, name="request"),
    path(f"{area}fachfragen/<int:pk>/antworten/", staff_views.answer, name="answer"),
    path(f"{area}fachfragen/<int:pk>/schliessen/", staff_views.close, name="close"),
    path(f"{area}fachfragen/<int:pk>/stellungnahme/", staff_views.publish, name="publish"),
    path(f"{area}sitzungen/", staff_views.meetings, name="meetings"),
    path(f"{area}sitzungen/<int:pk>/", staff_views.meeting, name="meeting"),
    path(f"{area}sitzungen/<int:pk>/bericht/", staff_views.report_new, name="report_new"),
    path(f"{area}berichte/<int:pk>/datei/", staff_views.report_file, name="report_file"),
    path(f"{area}pseudonyme/", staff_views.pseudonyms, name="pseudonyms"),
    path(
        f"{area}empfehlungen/",
        recommendation_views.recommendations,
        name="staff_recommendations",
    ),
    path(
        f"{area}empfehlungen/export.csv",
        recommendation_views.export,
        name="staff_recommendations_csv",
    ),
    path(
        f"{area}empfehlungen/neu/",
        recommendation_views.recommendation_new,
        name="staff_recommendation_new",
    ),
    path(
        f"{area}empfehlungen/<int:pk>/",
        recommendation_views.recommendation,
        name="staff_recommendation",
    ),
    path(
        f"{area}empfehlungen/<int:pk>/bearbeiten/",
        recommendation_views.recommendation_edit,
        name="staff_recommendation_edit",
    ),
    path(
        f"{area}empfehlungen/<int:pk>/aemter/",
        recommendation_views.recommendation_assign,
        name="staff_recommendation_assign",
    ),
    path(
        f"{area}empfehlungen/<int:pk>/stand/",
        recommendation_views.recommendation_progress,
        name="staff_recommendation_progress",
    ),
    path(
        f"{area}empfehlungen/<int:pk>/meilenstein/",
        recommendation_views.milestone_new,
        name="staff_milestone_new",
    ),
    path(office, recommendation_views.office_list, name="office"),
    path(f"{office}<int:pk>/", recommendation_views.office_assignment, name="office_assignment"),
    path(
        f"{office}<int:pk>/annehmen/",
        recommendation_views.office_acknowledge,
        name="office_acknowledge",
    ),
    path(f"{office}<int:pk>/stand/", recommendation_views.office_progress, name="office_progress"),
]
