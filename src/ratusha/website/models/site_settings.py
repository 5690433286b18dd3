"""Site settings (one per Wagtail site): the footer's required information (docs/legal.md §5: contacts,
the official name, ЄДРПОУ code, working hours, the head) and the social links (plain links, no widgets)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

SOCIAL_FIELDS = ("facebook_url", "telegram_url", "youtube_url", "instagram_url", "x_url")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    official_name = models.CharField(_("офіційна назва"), max_length=300, blank=True,
                                     help_text=_("Якщо порожньо — назва міської ради з довідника організацій."))
    edrpou = models.CharField(_("код ЄДРПОУ"), max_length=10, blank=True)
    address = models.CharField(_("адреса"), max_length=300, blank=True)
    phone = models.CharField(_("телефон"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    working_hours = models.TextField(_("графік роботи"), blank=True,
                                     help_text=_("Напр. «Пн–Чт 8:00–17:15, Пт 8:00–16:00, обідня перерва 13:00–14:00»."))
    head_name = models.CharField(_("міський голова (ПІБ)"), max_length=200, blank=True)
    head_position = models.CharField(_("посада керівника"), max_length=200, blank=True, default=_("Міський голова"))
    facebook_url = models.URLField(_("Facebook"), blank=True)
    telegram_url = models.URLField(_("Telegram"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    x_url = models.URLField(_("X (Twitter)"), blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("official_name"), FieldPanel("edrpou"), FieldPanel("address"),
                         FieldPanel("phone"), FieldPanel("email"), FieldPanel("working_hours")],
                        heading=_("Обов'язкова інформація в підвалі сайту")),
        MultiFieldPanel([FieldPanel("head_name"), FieldPanel("head_position")], heading=_("Керівник")),
        MultiFieldPanel([FieldPanel(name) for name in SOCIAL_FIELDS], heading=_("Соціальні мережі (звичайні посилання)")),
    ]

    class Meta:
        verbose_name = _("налаштування сайту")
        verbose_name_plural = _("налаштування сайту")

    def social_links(self) -> list[tuple[str, str]]:
        return [(str(self._meta.get_field(name).verbose_name), getattr(self, name))
                for name in SOCIAL_FIELDS if getattr(self, name)]
