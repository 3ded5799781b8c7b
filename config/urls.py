from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

admin.site.site_header = "Children missing from care: administration"
admin.site.site_title = "Children missing from care"

api_v1 = [
    path("", include("casework.api.urls")),
    path("", include("missing_episodes.api.urls")),
    path("", include("advocates.api.urls")),
    path("", include("reporting.api.urls")),
]

urlpatterns = [
    path("", include("casework.urls")),
    path("", include("missing_episodes.urls")),
    path("", include("missing_episodes.alerts.urls")),
    path("", include("advocates.urls")),
    path("", include("reporting.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler404 = "casework.api.errors.not_found"
handler500 = "casework.api.errors.server_error"
