from django.urls import path

from reporting import dashboard_views

urlpatterns = [
    path("reports/dashboards/", dashboard_views.dashboards, name="dashboards"),
]
