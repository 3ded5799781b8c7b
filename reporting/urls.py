from django.urls import path

from reporting import summary_views, views

urlpatterns = [
    path("returns/", views.returns, name="returns"),
    path("returns/<uuid:run_id>/", views.return_detail, name="return_detail"),
    path("returns/<uuid:run_id>/files/<str:name>", views.return_file, name="return_file"),
    path(
        "reports/trafficking-missing/",
        summary_views.trafficking_missing_summary,
        name="trafficking_missing_summary",
    ),
    path(
        "reports/trafficking-missing/download.csv",
        summary_views.trafficking_missing_summary_csv,
        name="trafficking_missing_summary_csv",
    ),
]
