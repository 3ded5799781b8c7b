from django.contrib.auth.views import LogoutView
from django.urls import path

from casework.views import account, home
from casework.views import children as views_children

urlpatterns = [
    path("", home.home, name="home"),
    path("account/sign-in/", account.SignInView.as_view(), name="login"),
    path("account/sign-out/", LogoutView.as_view(), name="logout"),
    path("account/two-factor/", account.two_factor_view, name="two_factor"),
    # Children's records (UUIDs only in these addresses: never names or other personal data).
    path("children/", views_children.child_search, name="child_search"),
    path("children/new/", views_children.child_create, name="child_create"),
    path("children/<uuid:child_id>/", views_children.child_detail, name="child_detail"),
    path("children/<uuid:child_id>/history/", views_children.child_history, name="child_history"),
    path("children/<uuid:child_id>/access-log/", views_children.child_access_log, name="child_access_log"),
    path("children/<uuid:child_id>/edit/identity/", views_children.child_edit_identity, name="child_edit_identity"),
    path(
        "children/<uuid:child_id>/edit/description/",
        views_children.child_edit_description,
        name="child_edit_description",
    ),
    path(
        "children/<uuid:child_id>/edit/trafficking/",
        views_children.child_edit_trafficking,
        name="child_edit_trafficking",
    ),
    path("children/<uuid:child_id>/edit/uasc/", views_children.child_edit_uasc, name="child_edit_uasc"),
    path("children/<uuid:child_id>/photos/new/", views_children.child_photo_add, name="child_photo_add"),
    path("children/<uuid:child_id>/photos/<uuid:photo_id>/", views_children.child_photo, name="child_photo"),
    path(
        "children/<uuid:child_id>/age-assessments/new/",
        views_children.age_assessment_add,
        name="child_age_assessment_add",
    ),
    path("children/<uuid:child_id>/care/<slug:kind>/new/", views_children.care_record_add, name="care_record_add"),
    path(
        "children/<uuid:child_id>/care/<slug:kind>/<uuid:record_id>/edit/",
        views_children.care_record_edit,
        name="care_record_edit",
    ),
    path("children/<uuid:child_id>/details/<slug:part>/new/", views_children.child_part_add, name="child_part_add"),
]
