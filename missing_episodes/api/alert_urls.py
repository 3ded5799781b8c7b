from rest_framework.routers import SimpleRouter

from missing_episodes.api.alert_views import AlertViewSet

router = SimpleRouter()
router.register("alerts", AlertViewSet, basename="alert")
urlpatterns = router.urls
