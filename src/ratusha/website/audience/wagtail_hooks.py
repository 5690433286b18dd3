"""The editors' page-view report in the Wagtail admin (menu item «Перегляди сторінок»)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ratusha.website.audience import admin_views


@hooks.register("register_admin_urls")
def register_page_views_url():
    return [path("page-views/", admin_views.page_views_report, name="audience_page_views")]


@hooks.register("register_admin_menu_item")
def register_page_views_menu_item():
    return MenuItem(_("Перегляди сторінок"), reverse("audience_page_views"), icon_name="view", order=900)
