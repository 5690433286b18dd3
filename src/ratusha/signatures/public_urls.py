"""Public addresses: /verify/ and the installation CA's /pki/ services (mounted at the site root)."""

from django.urls import path

from ratusha.signatures import views_public

app_name = "signatures_public"
urlpatterns = [
    path("verify/", views_public.verify, name="verify"),
    path("pki/tsa", views_public.tsa, name="tsa"),
    path("pki/ocsp/<uuid:ca_id>", views_public.ocsp, name="ocsp"),
    path("pki/<uuid:ca_id>.crl", views_public.crl, name="crl"),
    path("pki/<uuid:ca_id>.cer", views_public.ca_certificate, name="ca_certificate"),
]
