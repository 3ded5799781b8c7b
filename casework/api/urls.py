from django.urls import path

from casework.api import children, schema, views  # noqa: F401 - schema registers the OpenAPI extensions

COLLECTION = {"get": "list", "post": "create"}
ITEM = {"get": "retrieve", "patch": "partial_update"}
CARE = [
    ("periods-of-care", children.PeriodOfCareViewSet, "api-periods-of-care"),
    ("legal-statuses", children.LegalStatusViewSet, "api-legal-statuses"),
    ("placements", children.PlacementViewSet, "api-placements"),
]

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("users/me/", views.MeView.as_view(), name="api-me"),
    path("children/", children.ChildViewSet.as_view(COLLECTION), name="api-children"),
    path("children/<uuid:pk>/", children.ChildViewSet.as_view(ITEM), name="api-child"),
]
for segment, viewset, name in CARE:
    urlpatterns += [
        path(f"children/<uuid:child_id>/{segment}/", viewset.as_view(COLLECTION), name=name),
        path(f"children/<uuid:child_id>/{segment}/<uuid:pk>/", viewset.as_view(ITEM), name=f"{name}-detail"),
    ]
