"""Services of the audience app (every write): site search index, page views, subscriptions."""

from ratusha.website.audience.services.page_views import page_view_count, page_views_flush
from ratusha.website.audience.services.site_index import (
    site_index_rebuild,
    site_page_index,
    site_page_index_subtree,
    site_page_unindex,
)
from ratusha.website.audience.services.subscriptions import (
    SubscriptionTokenError,
    subscribers_notify,
    subscription_confirm,
    subscription_request,
    subscription_unsubscribe,
)

__all__ = [
    "SubscriptionTokenError",
    "page_view_count",
    "page_views_flush",
    "site_index_rebuild",
    "site_page_index",
    "site_page_index_subtree",
    "site_page_unindex",
    "subscribers_notify",
    "subscription_confirm",
    "subscription_request",
    "subscription_unsubscribe",
]
