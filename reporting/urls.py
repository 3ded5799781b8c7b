from django.urls import path

from reporting.views import dashboards, returns, summary

urlpatterns = [
    path("reports/dashboards/", dashboards.dashboards, name="dashboards"),
    path("returns/", returns.returns, name="returns"),
    path("returns/<uuid:run_id>/", returns.return_detail, name="return_detail"),
    path("returns/<uuid:run_id>/files/<str:name>", returns.return_file, name="return_file"),
    path(
        "reports/trafficking-missing/",
        summary.trafficking_missing_summary,
        name="trafficking_missing_summary",
    ),
    path(
        "reports/trafficking-missing/download.csv",
        summary.trafficking_missing_summary_csv,
        name="trafficking_missing_summary_csv",
    ),
]
