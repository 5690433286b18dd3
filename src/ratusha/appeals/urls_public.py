from django.urls import path  # noqa: F401

app_name = "appeals_public"

urlpatterns: list = []
