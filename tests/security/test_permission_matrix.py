"""The permission matrix: every page and API endpoint × every role × every kind of object, in one table.

Read ``MATRIX`` below as the specification of who may do what. Each line is a route (method and path, as
a user or integrator sees it) and one *scope* of object, and under each role the outcome the service
gives. The tests below run every cell against the real URLs, with real users signed in the way the
service signs them in (a session for the pages, ``Authorization: Token`` for the API).

Scopes (the object named by ``{...}`` in the path, or the object looked for in a list):

    own    a child of the caller's authority, allocated to the social worker of the matrix
    other  a child of another authority
    restr  a restricted child of the caller's authority, allocated to the social worker (so visible only to
           that worker and the team manager of their team, not to other staff of the authority)
    alloc  a child of the caller's authority with an active advocate allocation to the matrix advocate
    unall  a child of the caller's authority whose allocation to the matrix advocate has ended today
    -      the outcome is the same whatever the object (the route names none, or refuses the method)

Every scope's child is suspected of being trafficked, in care, with a closed and an open missing episode
(each raising an alert), a photo, care history, and an advocate allocation with one contact record (the
matrix advocate's on ``alloc`` and ``unall``, another advocate's elsewhere). Return runs exist only for
``own`` and ``other`` (they belong to an authority, not to a child).

Roles: sw social_worker, tm team_manager (the social worker's team), sm service_manager,
mc missing_coordinator, adv advocate (of an advocacy service), do data_officer, adm admin.

Outcomes:

    200 201 202 302 400 403 404 405 409   the HTTP status (writes send an empty or minimal body, so 400
                                          means "allowed this far, and the input was checked"; 405: a
                                          method the route does not offer)
    in    200, and the scope's object is listed
    out   200, and the scope's object is not listed (its id appears nowhere in the response)
    ref   400 naming the field that refers to the object, word for word what an id that does not
          exist gets (a write that refers to an object outside the caller's scope never learns it exists)

Outside a caller's scope an object does not exist (404); inside it, a role without the permission gets
403 (API.md). Anonymous callers are checked separately: every page sends them to sign in, every API
endpoint answers 401. ``test_every_route_is_in_the_matrix`` fails when a URL pattern is added without a
line here.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from PIL import Image
from rest_framework.authtoken.models import Token

from advocates import services as advocate_services
from casework import services as casework_services
from missing_episodes import services as missing_services
from reporting.models import ReturnRun
from tests.factories import AdvocacyServiceFactory, OrganisationFactory, TeamFactory, UserFactory
from tests.factories.children import child_in_care

MATRIX = """
method path                                              scope  sw   tm   sm   mc   adv  do   adm
# --- Signing in and the home page ------------------------------------------------------------------
GET    /                                                 -      200  200  200  200  200  200  200
GET    /account/sign-in/                                 -      302  302  302  302  302  302  302
POST   /account/sign-out/                                -      302  302  302  302  302  302  302
GET    /account/two-factor/                              -      200  200  200  200  200  200  200
# --- Children's records (pages) --------------------------------------------------------------------
GET    /children/ [child]                                own    in   in   in   in   out  in   403
                                                         other  out  out  out  out  out  out  403
                                                         restr  in   in   out  out  out  out  403
                                                         alloc  in   in   in   in   in   in   403
                                                         unall  in   in   in   in   out  in   403
GET    /children/new/                                    -      200  200  200  200  403  403  403
POST   /children/new/                                    -      400  400  400  400  403  403  403
GET    /children/{child}/                                own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  200  200  404
                                                         unall  200  200  200  200  404  200  404
GET    /children/{child}/history/                        own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  200  404
                                                         unall  200  200  200  200  404  200  404
GET    /children/{child}/access-log/                     own    403  200  200  403  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  403  200  404  404  404  404  404
                                                         alloc  403  200  200  403  403  403  404
                                                         unall  403  200  200  403  404  403  404
GET    /children/{child}/edit/identity/                  own    200  200  200  200  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  403  404
                                                         unall  200  200  200  200  404  403  404
POST   /children/{child}/edit/identity/                  own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /children/{child}/edit/description/               own    200  200  200  200  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  403  404
                                                         unall  200  200  200  200  404  403  404
POST   /children/{child}/edit/description/               own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /children/{child}/edit/trafficking/               own    200  200  200  200  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  403  404
                                                         unall  200  200  200  200  404  403  404
POST   /children/{child}/edit/trafficking/               own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /children/{child}/edit/uasc/                      own    200  200  200  200  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  403  404
                                                         unall  200  200  200  200  404  403  404
POST   /children/{child}/edit/uasc/                      own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
POST   /children/{child}/photos/new/                     own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /children/{child}/photos/{photo}/                 own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  200  200  404
                                                         unall  200  200  200  200  404  200  404
POST   /children/{child}/age-assessments/new/            own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /children/{child}/care/placements/new/            own    200  200  200  200  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  403  404
                                                         unall  200  200  200  200  404  403  404
POST   /children/{child}/care/placements/new/            own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /children/{child}/care/placements/{placement}/edit/  own 200  200  200  200  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  403  404
                                                         unall  200  200  200  200  404  403  404
POST   /children/{child}/care/placements/{placement}/edit/  own 400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /children/{child}/details/phone-numbers/new/      own    200  200  200  200  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  403  404
                                                         unall  200  200  200  200  404  403  404
POST   /children/{child}/details/phone-numbers/new/      own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
# --- Missing episodes (pages) ----------------------------------------------------------------------
GET    /missing/ [episode]                               own    in   in   in   in   403  in   403
                                                         other  out  out  out  out  403  out  403
                                                         restr  in   in   out  out  403  out  403
                                                         alloc  in   in   in   in   403  in   403
                                                         unall  in   in   in   in   403  in   403
GET    /missing/report/?child={child}                    own    200  200  200  200  403  403  403
                                                         other  404  404  404  404  403  403  403
                                                         restr  200  200  404  404  403  403  403
                                                         alloc  200  200  200  200  403  403  403
                                                         unall  200  200  200  200  403  403  403
POST   /missing/report/                                  own    400  400  400  400  403  403  403
                                                         other  404  404  404  404  403  403  403
                                                         restr  400  400  404  404  403  403  403
                                                         alloc  400  400  400  400  403  403  403
                                                         unall  400  400  400  400  403  403  403
GET    /missing/{episode}/                               own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  200  200  404
                                                         unall  200  200  200  200  404  200  404
GET    /missing/{episode}/close/                         own    200  200  200  200  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  403  404
                                                         unall  200  200  200  200  404  403  404
POST   /missing/{episode}/close/                         own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /missing/{episode}/reclassify/                    own    200  200  200  200  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  403  404
                                                         unall  200  200  200  200  404  403  404
POST   /missing/{episode}/reclassify/                    own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /missing/{episode}/update/                        own    200  200  200  200  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  403  404
                                                         unall  200  200  200  200  404  403  404
POST   /missing/{episode}/update/                        own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /missing/{closed}/return-interview/               own    200  200  200  200  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  403  404
                                                         unall  200  200  200  200  404  403  404
POST   /missing/{closed}/return-interview/               own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /missing/{episode}/edit/                          own    200  200  200  200  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  403  404
                                                         unall  200  200  200  200  404  403  404
POST   /missing/{episode}/edit/                          own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /missing/{episode}/risk/                          own    403  200  200  403  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  403  200  404  404  404  404  404
                                                         alloc  403  200  200  403  403  403  404
                                                         unall  403  200  200  403  404  403  404
POST   /missing/{episode}/risk/                          own    403  400  400  403  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  403  400  404  404  404  404  404
                                                         alloc  403  400  400  403  403  403  404
                                                         unall  403  400  400  403  404  403  404
GET    /missing/{episode}/pack.pdf                       own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  200  404
                                                         unall  200  200  200  200  404  200  404
# --- Alerts (pages) --------------------------------------------------------------------------------
GET    /alerts/ [alert]                                  own    in   in   in   in   out  403  403
                                                         other  out  out  out  out  out  403  403
                                                         restr  in   in   out  out  out  403  403
                                                         alloc  in   in   in   in   in   403  403
                                                         unall  in   in   in   in   out  403  403
GET    /alerts/{alert}/                                  own    200  200  200  200  404  404  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  200  404  404
                                                         unall  200  200  200  200  404  404  404
POST   /alerts/{alert}/acknowledge/                      own    302  302  302  302  404  404  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  302  302  404  404  404  404  404
                                                         alloc  302  302  302  302  302  404  404
                                                         unall  302  302  302  302  404  404  404
# --- Advocates (pages) -----------------------------------------------------------------------------
GET    /caseload/{allocation}/contacts/new/              own    403  403  403  403  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  403  403  404  404  404  404  404
                                                         alloc  403  403  403  403  200  403  404
                                                         unall  403  403  403  403  404  403  404
POST   /caseload/{allocation}/contacts/new/              own    403  403  403  403  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  403  403  404  404  404  404  404
                                                         alloc  403  403  403  403  400  403  404
                                                         unall  403  403  403  403  404  403  404
GET    /children/{child}/advocates/allocate/             own    403  200  200  403  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  403  200  404  404  404  404  404
                                                         alloc  403  200  200  403  403  403  404
                                                         unall  403  200  200  403  404  403  404
POST   /children/{child}/advocates/allocate/             own    403  400  400  403  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  403  400  404  404  404  404  404
                                                         alloc  403  400  400  403  403  403  404
                                                         unall  403  400  400  403  404  403  404
GET    /advocate-allocations/{allocation}/end/           own    403  200  200  403  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  403  200  404  404  404  404  404
                                                         alloc  403  200  200  403  403  403  404
                                                         unall  403  200  200  403  403  403  404
POST   /advocate-allocations/{allocation}/end/           own    403  400  400  403  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  403  400  404  404  404  404  404
                                                         alloc  403  400  400  403  403  403  404
                                                         unall  403  400  400  403  403  403  404
# --- Returns and reports (pages) -------------------------------------------------------------------
GET    /returns/ [run]                                   own    403  in   in   403  403  in   403
                                                         other  403  out  out  403  403  out  403
POST   /returns/                                         -      403  400  400  403  403  400  403
GET    /returns/{run}/                                   own    404  200  200  404  404  200  404
                                                         other  404  404  404  404  404  404  404
GET    /returns/{run}/files/header.csv                   own    404  200  200  404  404  200  404
                                                         other  404  404  404  404  404  404  404
GET    /reports/dashboards/                              -      403  200  200  200  403  200  403
GET    /reports/trafficking-missing/                     -      403  200  200  200  403  200  403
GET    /reports/trafficking-missing/download.csv         -      403  200  200  200  403  200  403
# --- API: who am I ---------------------------------------------------------------------------------
POST   /api/v1/auth/token/                               -      200  200  200  200  200  200  200
GET    /api/v1/users/me/                                 -      200  200  200  200  200  200  200
# --- API: children and care history ----------------------------------------------------------------
GET    /api/v1/children/ [child]                         own    in   in   in   in   out  in   out
                                                         other  out  out  out  out  out  out  out
                                                         restr  in   in   out  out  out  out  out
                                                         alloc  in   in   in   in   in   in   out
                                                         unall  in   in   in   in   out  in   out
POST   /api/v1/children/                                 -      400  400  400  400  403  403  403
GET    /api/v1/children/{child}/                         own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  200  200  404
                                                         unall  200  200  200  200  404  200  404
DELETE /api/v1/children/{child}/                         -      405  405  405  405  405  405  405
PATCH  /api/v1/children/{child}/                         own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /api/v1/children/{child}/periods-of-care/         own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  200  404
                                                         unall  200  200  200  200  404  200  404
POST   /api/v1/children/{child}/periods-of-care/         own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /api/v1/children/{child}/periods-of-care/{period}/  own  200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  200  404
                                                         unall  200  200  200  200  404  200  404
PATCH  /api/v1/children/{child}/periods-of-care/{period}/  own  400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /api/v1/children/{child}/legal-statuses/          own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  200  404
                                                         unall  200  200  200  200  404  200  404
POST   /api/v1/children/{child}/legal-statuses/          own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /api/v1/children/{child}/legal-statuses/{status}/  own   200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  200  404
                                                         unall  200  200  200  200  404  200  404
PATCH  /api/v1/children/{child}/legal-statuses/{status}/  own   400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /api/v1/children/{child}/placements/              own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  200  200  404
                                                         unall  200  200  200  200  404  200  404
POST   /api/v1/children/{child}/placements/              own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
GET    /api/v1/children/{child}/placements/{placement}/  own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  200  200  404
                                                         unall  200  200  200  200  404  200  404
PATCH  /api/v1/children/{child}/placements/{placement}/  own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
# --- API: missing episodes -------------------------------------------------------------------------
GET    /api/v1/missing-episodes/ [episode]               own    in   in   in   in   out  in   out
                                                         other  out  out  out  out  out  out  out
                                                         restr  in   in   out  out  out  out  out
                                                         alloc  in   in   in   in   in   in   out
                                                         unall  in   in   in   in   out  in   out
POST   /api/v1/missing-episodes/                         own    400  400  400  400  403  403  403
                                                         other  ref  ref  ref  ref  403  403  403
                                                         restr  400  400  ref  ref  403  403  403
                                                         alloc  400  400  400  400  403  403  403
                                                         unall  400  400  400  400  403  403  403
GET    /api/v1/missing-episodes/{episode}/               own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  200  200  404
                                                         unall  200  200  200  200  404  200  404
PUT    /api/v1/missing-episodes/{episode}/               -      405  405  405  405  405  405  405
PATCH  /api/v1/missing-episodes/{episode}/               own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
POST   /api/v1/missing-episodes/{episode}/close/         own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
POST   /api/v1/missing-episodes/{episode}/reclassify/    own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
PUT    /api/v1/missing-episodes/{closed}/return-interview/  own 200  200  200  200  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  403  403  404
                                                         unall  200  200  200  200  404  403  404
GET    /api/v1/missing-episodes/{episode}/updates/       own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  200  200  404
                                                         unall  200  200  200  200  404  200  404
POST   /api/v1/missing-episodes/{episode}/updates/       own    400  400  400  400  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  400  400  404  404  404  404  404
                                                         alloc  400  400  400  400  403  403  404
                                                         unall  400  400  400  400  404  403  404
# --- API: alerts -----------------------------------------------------------------------------------
GET    /api/v1/alerts/ [alert]                           own    in   in   in   in   out  out  out
                                                         other  out  out  out  out  out  out  out
                                                         restr  in   in   out  out  out  out  out
                                                         alloc  in   in   in   in   in   out  out
                                                         unall  in   in   in   in   out  out  out
GET    /api/v1/alerts/{alert}/                           own    200  200  200  200  404  404  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  200  404  404
                                                         unall  200  200  200  200  404  404  404
POST   /api/v1/alerts/{alert}/acknowledge/               own    200  200  200  200  404  404  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  200  404  404
                                                         unall  200  200  200  200  404  404  404
# --- API: advocates --------------------------------------------------------------------------------
GET    /api/v1/advocate-allocations/ [allocation]        own    in   in   in   in   out  in   out
                                                         other  out  out  out  out  out  out  out
                                                         restr  in   in   out  out  out  out  out
                                                         alloc  in   in   in   in   in   in   out
                                                         unall  in   in   in   in   in   in   out
POST   /api/v1/advocate-allocations/                     own    403  201  201  403  403  403  403
                                                         other  403  ref  ref  403  403  403  403
                                                         restr  403  201  ref  403  403  403  403
                                                         alloc  403  201  201  403  403  403  403
                                                         unall  403  201  201  403  403  403  403
GET    /api/v1/advocate-allocations/{allocation}/        own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  200  200  404
                                                         unall  200  200  200  200  200  200  404
PATCH  /api/v1/advocate-allocations/{allocation}/        own    403  200  200  403  404  403  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  403  200  404  404  404  404  404
                                                         alloc  403  200  200  403  403  403  404
                                                         unall  403  409  409  403  403  403  404
GET    /api/v1/advocate-contacts/ [contact]              own    in   in   in   in   out  in   out
                                                         other  out  out  out  out  out  out  out
                                                         restr  in   in   out  out  out  out  out
                                                         alloc  in   in   in   in   in   in   out
                                                         unall  in   in   in   in   in   in   out
POST   /api/v1/advocate-contacts/                        own    403  403  403  403  ref  403  403
                                                         other  403  403  403  403  ref  403  403
                                                         restr  403  403  403  403  ref  403  403
                                                         alloc  403  403  403  403  201  403  403
                                                         unall  403  403  403  403  403  403  403
GET    /api/v1/advocate-contacts/{contact}/              own    200  200  200  200  404  200  404
                                                         other  404  404  404  404  404  404  404
                                                         restr  200  200  404  404  404  404  404
                                                         alloc  200  200  200  200  200  200  404
                                                         unall  200  200  200  200  200  200  404
# --- API: statutory returns ------------------------------------------------------------------------
GET    /api/v1/returns/ [run]                            own    out  in   in   out  out  in   out
                                                         other  out  out  out  out  out  out  out
POST   /api/v1/returns/                                  -      403  400  400  403  403  400  403
GET    /api/v1/returns/{run}/                            own    404  200  200  404  404  200  404
                                                         other  404  404  404  404  404  404  404
GET    /api/v1/returns/{run}/files/header.csv            own    404  200  200  404  404  200  404
                                                         other  404  404  404  404  404  404  404
"""

# Routes deliberately outside the matrix, with the reason.
EXEMPT_ROUTES = {
    "admin/": "Django's admin site: staff only, behind Django's own is_staff check (tests/casework/test_admin.py)",
    "api/schema/": "the OpenAPI description of the API: public by design, holds no data (API.md)",
    "api/docs/": "the browsable view of the same description",
}
# Routes an anonymous caller may use: signing in.
PUBLIC = {("GET", "/account/sign-in/"), ("POST", "/api/v1/auth/token/")}

ROLES = ["social_worker", "team_manager", "service_manager", "missing_coordinator", "advocate", "data_officer", "admin"]
SCOPES = ["own", "other", "restr", "alloc", "unall"]
PASSWORD = "correct-horse-battery"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
OUTCOMES = {"200", "201", "202", "302", "400", "403", "404", "405", "409", "in", "out", "ref"}


@dataclass(frozen=True)
class Row:
    """One line of the matrix: a route and a scope, with the expected outcome for each role."""

    method: str
    path: str  # with {placeholders}
    listed: str | None  # for a list: the kind of object looked for ("child", "episode", ...)
    scope: str
    expected: dict[str, str]

    @property
    def id(self) -> str:
        listed = f" [{self.listed}]" if self.listed else ""
        return f"{self.method} {self.path}{listed} {self.scope}"


def parse_matrix(text: str) -> list[Row]:
    rows: list[Row] = []
    method = path = listed = None
    for line in text.splitlines():
        if not line.strip() or line.startswith(("#", "method ")):
            continue
        words = line.split()
        if not line[0].isspace():
            method, path, *words = words
            listed = None
            if words[0].startswith("["):
                listed = words.pop(0).strip("[]")
        scope, *outcomes = words
        assert scope in [*SCOPES, "-"], line
        assert len(outcomes) == len(ROLES), line
        assert all(o in OUTCOMES for o in outcomes), line
        rows.append(Row(method, path, listed, scope, dict(zip(ROLES, outcomes, strict=True))))
    return rows


ROWS = parse_matrix(MATRIX)
ROUTES = sorted({(r.method, r.path) for r in ROWS})


# --- The world: built once for the module, rolled back at its end -----------------------------------


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def _scope_objects(child, *, by, alloc_by, advocate, now) -> dict:
    """A photo, two missing episodes (the older closed), an alert and an allocation with a contact."""
    photo = casework_services.add_photo(child=child, by=by, image=_png())
    closed = missing_services.report_missing(child=child, kind="M", started_at=now - timedelta(days=20), by=by)
    closed = missing_services.close_episode(
        episode=closed, by=by, version=closed.version, ended_at=now - timedelta(days=19), outcome="found"
    )
    allocation = advocate_services.allocate_advocate(
        child=child,
        advocate=advocate,
        role="direct_worker",
        start_date=timezone.localdate() - timedelta(days=30),
        referral_date=timezone.localdate() - timedelta(days=31),
        consent_noted=True,
        by=alloc_by,
    )
    contact = advocate_services.record_contact(
        allocation=allocation, by=advocate, occurred_at=now - timedelta(days=3), kind="visit", summary="A visit"
    )
    episode = missing_services.report_missing(child=child, kind="M", started_at=now - timedelta(days=2), by=by)
    return {
        "child": child,
        "photo": photo,
        "period": child.periods_of_care.get(),
        "status": child.legal_statuses.get(),
        "placement": child.placements.get(),
        "closed": closed,
        "episode": episode,
        "alert": episode.alerts.get(),
        "allocation": allocation,
        "contact": contact,
    }


def _run(organisation, by, media_root: Path) -> ReturnRun:
    run = ReturnRun.objects.create(
        organisation=organisation,
        kind="ssda903",
        year=2025,
        status="done",
        progress=100,
        files=[{"name": "header.csv", "rows": 1}],
        validation={"errors": 0, "warnings": 0, "issues": []},
        requested_by=by,
    )
    directory = media_root / "returns" / str(run.pk)
    directory.mkdir(parents=True)
    (directory / "header.csv").write_text("CHILD,SEX,DOB\r\n", encoding="utf-8")
    return run


def build_world(media_root: Path) -> dict:
    now = timezone.now()
    authority, elsewhere = OrganisationFactory(), OrganisationFactory()
    advocacy = AdvocacyServiceFactory()
    team, other_team = TeamFactory(organisation=authority), TeamFactory(organisation=elsewhere)
    users = {
        role: UserFactory(
            role=role,
            organisation=advocacy if role == "advocate" else authority,
            team=team if role in ("social_worker", "team_manager") else None,
        )
        for role in ROLES
    }
    sw, tm = users["social_worker"], users["team_manager"]
    other_advocate = UserFactory(role="advocate", organisation=advocacy)
    spare_advocate = UserFactory(role="advocate", organisation=advocacy)  # for allocations made in the tests
    elsewhere_sw = UserFactory(role="social_worker", organisation=elsewhere, team=other_team)
    elsewhere_tm = UserFactory(role="team_manager", organisation=elsewhere, team=other_team)

    def child(by, organisation, team_, **fields):
        return child_in_care(
            by=by,
            organisation=organisation,
            team=team_,
            allocated_social_worker=by if by.role == "social_worker" else sw,
            trafficking_status="suspected",
            exploitation_types=["criminal"],
            **fields,
        )

    scopes = {
        "own": _scope_objects(child(sw, authority, team), by=sw, alloc_by=tm, advocate=other_advocate, now=now),
        "other": _scope_objects(
            child(elsewhere_sw, elsewhere, other_team),
            by=elsewhere_sw,
            alloc_by=elsewhere_tm,
            advocate=other_advocate,
            now=now,
        ),
        "restr": _scope_objects(
            child(tm, authority, team, restricted=True), by=sw, alloc_by=tm, advocate=other_advocate, now=now
        ),
        "alloc": _scope_objects(child(sw, authority, team), by=sw, alloc_by=tm, advocate=users["advocate"], now=now),
        "unall": _scope_objects(child(sw, authority, team), by=sw, alloc_by=tm, advocate=users["advocate"], now=now),
    }
    # The matrix advocate's allocation to ``unall`` ends today: their access ends with it.
    ended = scopes["unall"]["allocation"]
    scopes["unall"]["allocation"] = advocate_services.end_allocation(
        allocation=ended, by=tm, end_date=timezone.localdate(), version=ended.version
    )
    scopes["own"]["run"] = _run(authority, tm, media_root)
    scopes["other"]["run"] = _run(elsewhere, elsewhere_tm, media_root)

    sessions, tokens = {}, {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        tokens[role] = Token.objects.create(user=user).key
    return {
        "users": users,
        "scopes": scopes,
        "sessions": sessions,
        "tokens": tokens,
        "spare": spare_advocate,
        "client": Client(),  # one client (its handler loads the middleware once), its cookies reset per request
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Everything the matrix needs, created once in a transaction that is rolled back after the module.

    Each test runs inside its own savepoint (pytest-django's ``db``), so its writes vanish with it."""
    media_root = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world(media_root)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _quick_pack(monkeypatch):
    """The missing-person pack's PDF rendering is tested in tests/missing_episodes/test_pack.py; here only who
    may download it matters, so render a stand-in quickly."""
    from missing_episodes import pack

    monkeypatch.setattr(pack, "render_pack", lambda **kwargs: b"%PDF-1.7 stand-in")


# --- Requests ---------------------------------------------------------------------------------------


def _fill(path: str, objects: dict) -> str:
    return PLACEHOLDER.sub(lambda m: str(objects[m.group(1)].pk), path)


def _objects_for(world, scope: str) -> dict:
    # A line whose outcome is the same whatever the object (scope "-") is filled from ``own``.
    return world["scopes"]["own" if scope == "-" else scope]


def body_for(method: str, path: str, objects: dict, world) -> dict:
    """The body of a write: empty, except where the object is referred to in the body (not the path) or
    where an allowed write must show it succeeds."""
    now = timezone.now()
    today = timezone.localdate()
    if path == "/missing/report/":
        return {"fixed_child": str(objects["child"].pk)}
    if path == "/api/v1/auth/token/":
        return {"username": "", "password": PASSWORD}  # the username is filled in per role
    if path == "/api/v1/missing-episodes/":
        return {"child": str(objects["child"].pk)}
    if path == "/api/v1/advocate-allocations/":
        return {
            "child": str(objects["child"].pk),
            "advocate": str(world["spare"].pk),
            "role": "direct_worker",
            "start_date": str(today),
            "consent_noted": True,
        }
    if method == "PATCH" and path == "/api/v1/advocate-allocations/{allocation}/":
        return {"end_date": str(today)}
    if path == "/api/v1/advocate-contacts/":
        return {
            "allocation": str(objects["allocation"].pk),
            "occurred_at": (now - timedelta(hours=1)).isoformat(),
            "kind": "visit",
            "summary": "Met at the placement",
        }
    if path == "/api/v1/missing-episodes/{closed}/return-interview/":
        return {"offered_at": (now - timedelta(minutes=5)).isoformat()}
    if not path.startswith("/api/"):
        return {"matrix": "1"}  # a submitted form (an empty POST would show the blank form again)
    return {}


# The field that refers to the scope's object, for "ref" cells.
REFERENCES = {
    "/api/v1/missing-episodes/": "child",
    "/api/v1/advocate-allocations/": "child",
    "/api/v1/advocate-contacts/": "allocation",
}


def request(world, role: str | None, method: str, path: str, objects: dict, body: dict | None = None):
    """One request as ``role`` (None: anonymous), the way that role's client would make it."""
    client = world["client"]
    client.cookies = SimpleCookie()  # no cookie from an earlier request
    url = _fill(path, objects)
    if body is None:
        body = body_for(method, path, objects, world)
    if path == "/api/v1/auth/token/" and role is not None:
        body = {**body, "username": world["users"][role].username}
    if url.startswith("/api/"):
        headers = {"HTTP_AUTHORIZATION": f"Token {world['tokens'][role]}"} if role else {}
        if path == "/api/v1/auth/token/":
            headers = {}
        data = json.dumps(body) if method != "GET" else None
        return client.generic(method, url, data or "", content_type="application/json", **headers)
    if role is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, _form_encode(body), content_type="application/x-www-form-urlencoded")


def _finish(response) -> None:
    """Read a file response (a photo, a download) to its end, as a browser would: the test client closes its file
    then (calling response.close() here would also close the database connection, inside the test's transaction)."""
    if response.streaming:
        b"".join(response)


def _form_encode(body: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(body)


def _errors(response) -> dict:
    try:
        return response.json()
    except ValueError:
        return {}


def outcome_problem(row: Row, role: str, response, objects: dict, world) -> str | None:
    """What is wrong with ``response`` for this cell, or None."""
    expected = row.expected[role]
    status = response.status_code
    if expected in ("in", "out"):
        if status != 200:
            return f"{status}"
        content = b"".join(response) if response.streaming else response.content
        present = str(objects[row.listed].pk).encode() in content
        return None if present == (expected == "in") else ("in" if present else "out")
    if expected == "ref":
        field = REFERENCES[row.path]
        if status != 400 or field not in _errors(response):
            return f"{status} {_errors(response)}"
        unknown = {**body_for(row.method, row.path, objects, world), field: str(uuid.uuid4())}
        nowhere = request(world, role, row.method, row.path, objects, unknown)
        _finish(nowhere)
        if _errors(response)[field] != _errors(nowhere)[field]:
            return f"400 telling an out-of-scope {field} from a missing one: {_errors(response)[field]}"
        return None
    if status != int(expected):
        return f"{status}"
    if status == 400 and row.path in REFERENCES and REFERENCES[row.path] in _errors(response):
        return f"400 with an error on {REFERENCES[row.path]!r}: {_errors(response)}"
    return None


# --- The tests ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_permission_matrix(world, db, row):
    """Every role on one line of the matrix; each request in a savepoint rolled back after it."""
    objects = _objects_for(world, row.scope)
    wrong = {}
    for role in ROLES:
        with transaction.atomic():
            response = request(world, role, row.method, row.path, objects)
            problem = outcome_problem(row, role, response, objects, world)
            _finish(response)
            transaction.set_rollback(True)
        if problem:
            wrong[role] = f"expected {row.expected[role]}, got {problem}"
    assert not wrong, f"{row.id}: " + "; ".join(f"{role} {text}" for role, text in wrong.items())


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r not in PUBLIC], ids=" ".join)
def test_anonymous_callers_are_sent_to_sign_in_or_refused(world, db, method, path):
    response = request(world, None, method, path, world["scopes"]["own"])
    if path.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def _walk(patterns, prefix: str = ""):
    for entry in patterns:
        route = prefix + str(entry.pattern).removeprefix("^")
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def test_every_route_is_in_the_matrix():
    covered = {resolve(_fill(path.split("?")[0], _Dummy())).route for _, path in ROUTES}
    every = set(_walk(get_resolver().url_patterns))
    assert len(every) > 60, "the URL patterns were not all found"
    missing = sorted(r for r in every - covered if not r.startswith(tuple(EXEMPT_ROUTES)))
    assert not missing, "routes with no line in MATRIX (add them, or exempt them with a reason): " + ", ".join(missing)


def test_the_matrix_covers_every_role_and_scope_of_each_route():
    for method, path in ROUTES:
        scopes = [r.scope for r in ROWS if (r.method, r.path) == (method, path)]
        assert scopes in (["-"], SCOPES, ["own", "other"]), f"{method} {path}: scopes {scopes}"


class _Dummy(dict):
    """Any placeholder filled with a UUID, to resolve a path without objects."""

    def __missing__(self, key):
        return type("Obj", (), {"pk": uuid.UUID(int=1)})()
