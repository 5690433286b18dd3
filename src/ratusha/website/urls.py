from django.urls import path

from ratusha.website import discovery_views as views
from ratusha.website.audience import views as audience_views
from ratusha.website.feeds import NewsFeed

app_name = "website"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("news/feed/", NewsFeed(), name="news_feed"),
    path("subscribe/", audience_views.subscribe, name="subscribe"),
    path("subscribe/sent/", audience_views.subscribe_sent, name="subscribe_sent"),
    path("subscribe/confirm/<str:token>/", audience_views.subscribe_confirm, name="subscribe_confirm"),
    path("subscribe/unsubscribe/<str:token>/", audience_views.unsubscribe, name="unsubscribe"),
]
