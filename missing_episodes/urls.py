from django.urls import path

from missing_episodes.views import board
from missing_episodes.views import episodes as views

urlpatterns = [
    path("missing/", board.board, name="missing_board"),
    path("missing/report/", views.report, name="missing_report"),
    path("missing/<uuid:episode_id>/", views.episode_detail, name="episode_detail"),
    path("missing/<uuid:episode_id>/close/", views.close, name="episode_close"),
    path("missing/<uuid:episode_id>/reclassify/", views.reclassify, name="episode_reclassify"),
    path("missing/<uuid:episode_id>/update/", views.add_update, name="episode_add_update"),
    path("missing/<uuid:episode_id>/return-interview/", views.return_interview, name="episode_return_interview"),
    path("missing/<uuid:episode_id>/edit/", views.edit, name="episode_edit"),
    path("missing/<uuid:episode_id>/risk/", views.set_risk, name="episode_set_risk"),
    path("missing/<uuid:episode_id>/pack.pdf", views.episode_pack, name="episode_pack"),
]
