from rest_framework.routers import SimpleRouter

from missing_episodes.api.alert_views import AlertViewSet
from missing_episodes.api.views import MissingEpisodeViewSet

router = SimpleRouter()
router.register("missing-episodes", MissingEpisodeViewSet, basename="api-missing-episode")
router.register("alerts", AlertViewSet, basename="alert")

urlpatterns = router.urls
