from django.urls import path

from missing_episodes.alerts import views as alert_views

urlpatterns = [
    path("alerts/", alert_views.my_alerts, name="alerts"),
    path("alerts/<uuid:alert_id>/", alert_views.alert_detail, name="alert_detail"),
    path("alerts/<uuid:alert_id>/acknowledge/", alert_views.acknowledge, name="alert_acknowledge"),
]
