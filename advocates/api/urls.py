from rest_framework.routers import SimpleRouter

from advocates.api.views import AllocationViewSet, ContactViewSet

router = SimpleRouter()
router.register("advocate-allocations", AllocationViewSet, basename="advocate-allocation")
router.register("advocate-contacts", ContactViewSet, basename="advocate-contact")
urlpatterns = router.urls
