from django.urls import path, re_path

from ratusha.website.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.register, name="register"),
    path("catalog.json", views.catalog, name="catalog"),
    path("<slug:identifier>/", views.passport_page, name="passport"),
    path("<slug:identifier>/passport.json", views.passport_json, name="passport_json"),
    re_path(r"^(?P<identifier>[-a-z0-9]+)/data\.(?P<fmt>csv|json)$", views.data, name="data"),
]
