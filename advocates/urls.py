from django.urls import path

from advocates.views import allocations as views

urlpatterns = [
    path("caseload/<uuid:allocation_id>/contacts/new/", views.contact_new, name="contact_new"),
    path("children/<uuid:child_id>/advocates/allocate/", views.allocate, name="advocate_allocate"),
    path("advocate-allocations/<uuid:allocation_id>/end/", views.end_allocation, name="advocate_allocation_end"),
]
