"""Builders of a small website for the website tests (a council, every page type, one news item with
an image). Plain functions: tests call them inside their own database fixture."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images import get_image_model

from ratusha.orgs.constants import OrgKind
from ratusha.website.models import (
    AccessibilityPage,
    ContactsPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ServicesPage,
    StandardPage,
    StructurePage,
)
from ratusha.website.services import website_home_install, website_page_publish, website_settings_update
from tests.factories import OrganisationFactory

PUBLISHED = dt.datetime(2026, 9, 14, 10, 30)
UPDATED = dt.datetime(2026, 9, 20, 16, 0)


def png_image(title: str = "Тестове зображення", size: tuple[int, int] = (320, 180)) -> Any:
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", size, "#1f56b3").save(buffer, format="PNG")
    image = get_image_model()(title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name="test.png"))
    image.save()
    return image


@dataclass
class Site:
    council: Any
    home: HomePage
    news_index: NewsIndexPage
    news: NewsPage
    announcement: NewsPage
    standard: StandardPage
    structure: StructurePage
    contacts: ContactsPage
    accessibility: AccessibilityPage
    services: ServicesPage
    image: Any

    def pages(self) -> dict[str, Any]:
        return {"home": self.home, "news_index": self.news_index, "news": self.news, "standard": self.standard,
                "structure": self.structure, "contacts": self.contacts, "accessibility": self.accessibility,
                "services": self.services}


def build_site() -> Site:
    council = OrganisationFactory(kind=OrgKind.CITY_COUNCIL, name="Соснівська міська рада", edrpou="04051234",
                                  address="майдан Незалежності, 1, м. Соснівка", phone="+380 (4532) 2-10-01",
                                  email="rada@sosnivka.example.org")
    home = website_home_install(actor=None, title=council.name, intro="Офіційний вебсайт громади.")
    news_index = website_page_publish(actor=None, parent=home, page=NewsIndexPage(
        title="Новини", slug="news", show_in_menus=True))
    image = png_image()
    tz = timezone.get_current_timezone()
    news = website_page_publish(
        actor=None, parent=news_index,
        page=NewsPage(title="Відремонтовано вулицю Соборну", slug="soborna", kind="news",
                      summary="Нове покриття і тротуари зі зниженими бордюрами.", image=image,
                      image_alt="Вулиця з новим асфальтом",
                      body=[("paragraph", "<p>Підрядник завершив роботи на вулиці Соборній.</p>"),
                            ("heading", {"text": "Що зроблено", "level": "h2"}),
                            ("image", {"image": image, "alt": "Нова розмітка", "caption": "Розмітка"}),
                            ("quote", {"text": "Дороги — наш пріоритет.", "source": "Міський голова"}),
                            ("table", {"caption": "Обсяги робіт", "data": "Робота | Обсяг\nАсфальт | 1,2 км"})]),
        published_at=PUBLISHED.replace(tzinfo=tz), updated_at=UPDATED.replace(tzinfo=tz))
    announcement = website_page_publish(
        actor=None, parent=news_index,
        page=NewsPage(title="Сесія міської ради 12 грудня", slug="sesiia", kind="announcement",
                      summary="Порядок денний сесії.", body=[("paragraph", "<p>Засідання відкрите.</p>")]))
    standard = website_page_publish(actor=None, parent=home, page=StandardPage(
        title="Про громаду", slug="about", intro="Громада і її органи.", show_in_menus=True,
        body=[("paragraph", "<p>Соснівська громада утворена 2020 року.</p>")]))
    structure = website_page_publish(actor=None, parent=home, page=StructurePage(
        title="Структура", slug="structure", show_in_menus=True))
    contacts = website_page_publish(actor=None, parent=home, page=ContactsPage(
        title="Контакти", slug="contacts", show_in_menus=True))
    accessibility = website_page_publish(actor=None, parent=home, page=AccessibilityPage(
        title="Доступність", slug="accessibility", statement_date=dt.date(2026, 11, 1),
        limitations="<p>Скановані PDF без текстового шару.</p>", feedback_email="access@example.org"))
    services = website_page_publish(actor=None, parent=home, page=ServicesPage(
        title="Електронні послуги", slug="services", show_in_menus=True))
    site = home.get_site()
    website_settings_update(actor=None, site=site, working_hours="Пн–Пт 8:00–17:00", head_name="Гнатюк Василь Петрович",
                            telegram_url="https://t.me/sosnivka")
    return Site(council=council, home=home, news_index=news_index, news=news, announcement=announcement,
                standard=standard, structure=structure, contacts=contacts, accessibility=accessibility,
                services=services, image=image)
