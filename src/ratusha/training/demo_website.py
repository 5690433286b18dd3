"""The demo's website: the home page (the council's name from the demo council), 30 news items and
announcements over the last three months (a third with illustrations drawn here with Pillow), the
structure, contacts, accessibility statement, e-services hub and the art. 15 pages (docs/legal.md §5).

``load_website(log=…)`` is idempotent: a second call finds the home page's news and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from typing import Any

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Site

from ratusha.training.demo_website_news import NEWS
from ratusha.training.demo_website_pages import PAGES
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
from ratusha.website.services import (
    website_home_install,
    website_page_publish,
    website_page_update,
    website_settings_update,
)
from ratusha.website.structure import council

SEED = 2026
NAVY, BLUE, SKY, PALE, YELLOW, WHITE = "#123a6b", "#1f56b3", "#cfe0f7", "#eef4fc", "#ffd500", "#ffffff"
GREEN, GREY = "#2f7d5b", "#8a94a6"


def load_website(*, log: Callable[[str], None] | None = None, today: dt.date | None = None) -> HomePage:
    """Build the demo website once (see the module's docstring); returns the home page."""
    log = log or (lambda _msg: None)
    org = council()
    name = org.name if org is not None else "Соснівська міська рада"
    with transaction.atomic():
        home = website_home_install(
            actor=None, title=name,
            intro=("Офіційний вебсайт громади: новини, рішення ради та виконкому, електронні послуги — "
                   "звернення, запис на прийом, відкриті дані."))
        if NewsIndexPage.objects.descendant_of(home).exists():
            return home
        site = Site.objects.get(root_page=home)
        website_settings_update(
            actor=None, site=site, official_name=name, edrpou=getattr(org, "edrpou", "") or "04051234",
            address=getattr(org, "address", "") or "майдан Незалежності, 1, м. Соснівка, 35100",
            phone=getattr(org, "phone", "") or "+380 (4532) 2-10-01",
            email=getattr(org, "email", "") or "rada@sosnivka.example.org",
            working_hours="Пн–Чт: 8:00–17:15\nПт: 8:00–16:00\nОбідня перерва: 13:00–14:00",
            head_name=_head_name(org), head_position="Міський голова",
            facebook_url="https://www.facebook.com/sosnivka.rada", telegram_url="https://t.me/sosnivka_rada")
        today = today or timezone.localdate()
        news_index = NewsIndexPage(title="Новини", slug="news", show_in_menus=True,
                                   intro="Новини та оголошення міської ради, виконавчого комітету і служб міста.")
        website_page_publish(actor=None, parent=home, page=news_index)
        _build_pages(home, today)
        images = _images()
        rng = random.Random(SEED)
        for n, item in enumerate(NEWS):
            published = _moment(today, item["days_ago"], rng)
            updated = published + dt.timedelta(hours=rng.choice([0, 0, 0, 2, 5, 26]))
            image = images.get(item.get("image", ""))
            page = NewsPage(title=item["title"], slug=f"n{n + 1:02d}-{item['slug']}", kind=item["kind"],
                            summary=item["summary"], image=image, image_alt=item.get("alt", "") if image else "",
                            body=_body(item))
            website_page_publish(actor=None, parent=news_index, page=page, published_at=published,
                                 updated_at=updated)
    log(f"Вебсайт: головна, {len(NEWS)} новин, {len(PAGES) + 4} сторінок, {len(images)} ілюстрацій")
    return HomePage.objects.get(pk=home.pk)


def _head_name(org: Any) -> str:
    """The mayor's name from the staff directory (the head of the council with «голова» in the title)."""
    from ratusha.orgs.models import Employee

    head = (Employee.objects.filter(organisation=org, is_active=True, position__is_head=True,
                                    position__title__icontains="голова").select_related("user").first()
            if org is not None else None)
    return head.user.full_name if head is not None else ""


def _moment(today: dt.date, days_ago: int, rng: random.Random) -> dt.datetime:
    day = today - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.choice([0, 15, 30, 45]))))


def _body(item: dict[str, Any]) -> list[tuple[str, Any]]:
    blocks: list[tuple[str, Any]] = []
    for part in item["body"]:
        if isinstance(part, tuple):
            kind, value = part
            if kind == "heading":
                blocks.append(("heading", {"text": value, "level": "h2"}))
            elif kind == "quote":
                text, source = value
                blocks.append(("quote", {"text": text, "source": source}))
            elif kind == "table":
                caption, data = value
                blocks.append(("table", {"caption": caption, "data": data}))
            elif kind == "list":
                blocks.append(("paragraph", "<ul>" + "".join(f"<li>{x}</li>" for x in value) + "</ul>"))
        else:
            blocks.append(("paragraph", f"<p>{part}</p>"))
    return blocks


QUICK_LINKS = (("budget", "Бюджет громади", "План, звіти про виконання, програми"),
               ("public-information", "Запит на інформацію", "Як отримати публічну інформацію і оскаржити відмову"),
               ("reception-schedule", "Графік прийому громадян", "Коли і де приймають посадові особи"),
               ("records-system", "Система обліку публічної інформації", "Документи, якими володіє рада"))


def _build_pages(home: HomePage, today: dt.date) -> None:
    website_page_publish(actor=None, parent=home, page=ServicesPage(
        title="Електронні послуги", slug="services", show_in_menus=True,
        intro="Усе, що можна зробити онлайн: звернутися до ради, стежити за розглядом, записатися на прийом, "
              "знайти рішення і відкриті дані."))
    website_page_publish(actor=None, parent=home, page=StructurePage(
        title="Структура", slug="structure", show_in_menus=True,
        intro="Міська рада, виконавчий комітет, виконавчі органи та їхні підрозділи з керівниками, "
              "контактами і графіком особистого прийому."))
    for spec in PAGES:
        page = StandardPage(title=spec["title"], slug=spec["slug"], intro=spec["intro"],
                            show_in_menus=spec.get("menu", False), body=_body(spec))
        website_page_publish(actor=None, parent=home, page=page)
    website_page_publish(actor=None, parent=home, page=ContactsPage(
        title="Контакти", slug="contacts", show_in_menus=True,
        intro="Як зв'язатися з міською радою, виконавчим комітетом та управліннями."))
    website_page_publish(actor=None, parent=home, page=AccessibilityPage(
        title="Доступність", slug="accessibility",
        intro="Ми прагнемо, щоб сайтом могли користуватися всі, зокрема люди з порушеннями зору, слуху, "
              "моторики та когнітивними особливостями.",
        conformance="partial", standard="WCAG 2.1 AA / ДСТУ EN 301 549:2022", statement_date=today,
        limitations=("<ul><li>Частина PDF-документів, оприлюднених до 2024 року, є сканованими копіями без "
                     "текстового шару.</li><li>Відеозаписи сесій ради не мають субтитрів; стенограми "
                     "публікуються протягом 5 робочих днів.</li></ul>"),
        feedback_email="access@sosnivka.example.org", feedback_phone="+380 (4532) 2-10-05"))
    children = {page.slug: page for page in home.get_children()}
    links = [("link", {"title": title, "page": children[slug], "url": "", "description": text})
             for slug, title, text in QUICK_LINKS if slug in children]
    links.append(("link", {"title": "Відкриті дані", "page": None, "url": "/open-data/",
                           "description": "Набори даних громади у форматах CSV і JSON"}))
    website_page_update(actor=None, page=HomePage.objects.get(pk=home.pk), quick_links=links)


# --- illustrations ---------------------------------------------------------------------------------

SCENES = ("road", "school", "budget", "heating", "park", "culture", "shelter", "water", "grant", "transport")
SCENE_TITLES = {"road": "вулиця і дорога", "school": "школа", "budget": "бюджет", "heating": "опалення",
                "park": "парк", "culture": "культура", "shelter": "укриття", "water": "водопостачання",
                "grant": "громадський бюджет", "transport": "міський транспорт"}


def _images() -> dict[str, Any]:
    """Simple flat illustrations (one per scene), stored as Wagtail images."""
    Image = get_image_model()
    wanted = {item["image"] for item in NEWS if item.get("image")}
    result: dict[str, Any] = {}
    for scene in SCENES:
        if scene not in wanted:
            continue
        title = f"Ілюстрація: {SCENE_TITLES[scene]}"
        image = Image.objects.filter(title=title).first()
        if image is None:
            data = _draw(scene)
            image = Image(title=title, file=ImageFile(io.BytesIO(data), name=f"demo-{scene}.png"))
            image.save()
        result[scene] = image
    return result


def _draw(scene: str, size: tuple[int, int] = (1200, 675)) -> bytes:
    from PIL import Image as PILImage
    from PIL import ImageDraw

    w, h = size
    rng = random.Random(f"{SEED}-{scene}")
    img = PILImage.new("RGB", size, PALE)
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, w, int(h * 0.62)], fill=SKY)
    sun_x = rng.randint(int(w * 0.62), int(w * 0.85))
    d.ellipse([sun_x, 70, sun_x + 120, 190], fill=YELLOW)
    ground = int(h * 0.72)
    x = -20
    while x < w:  # skyline
        bw, bh = rng.randint(70, 150), rng.randint(140, 330)
        colour = rng.choice([NAVY, BLUE, "#2a64c4", "#3b6fb8"])
        d.rectangle([x, ground - bh, x + bw, ground], fill=colour)
        for wy in range(ground - bh + 20, ground - 30, 34):
            for wx in range(x + 14, x + bw - 20, 26):
                if rng.random() < 0.7:
                    d.rectangle([wx, wy, wx + 12, wy + 16], fill=YELLOW if rng.random() < 0.25 else PALE)
        x += bw + rng.randint(6, 22)
    d.rectangle([0, ground, w, h], fill="#dfe7f1")
    _foreground(d, scene, w, h, ground, rng)
    buffer = io.BytesIO()
    img.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _foreground(d: Any, scene: str, w: int, h: int, ground: int, rng: random.Random) -> None:
    if scene in ("road", "transport"):
        d.rectangle([0, ground + 30, w, h - 20], fill="#3a4250")
        for x in range(20, w, 120):
            d.rectangle([x, ground + 95, x + 60, ground + 105], fill=WHITE)
        if scene == "transport":
            d.rounded_rectangle([380, ground - 10, 820, ground + 110], radius=24, fill=YELLOW)
            for x in range(410, 780, 80):
                d.rectangle([x, ground + 10, x + 60, ground + 55], fill=NAVY)
            for cx in (470, 730):
                d.ellipse([cx - 30, ground + 85, cx + 30, ground + 145], fill="#1a1f2b")
        else:
            d.polygon([(900, ground + 130), (940, ground + 40), (980, ground + 130)], fill="#f28c28")
    elif scene == "school":
        d.rectangle([380, ground - 230, 820, ground], fill=WHITE)
        d.polygon([(360, ground - 230), (600, ground - 330), (840, ground - 230)], fill=NAVY)
        for x in range(410, 800, 90):
            d.rectangle([x, ground - 190, x + 50, ground - 130], fill=BLUE)
            d.rectangle([x, ground - 100, x + 50, ground - 40], fill=BLUE)
        d.rectangle([570, ground - 80, 630, ground], fill=NAVY)
        d.rectangle([596, ground - 420, 602, ground - 330], fill=NAVY)
        d.rectangle([602, ground - 420, 672, ground - 395], fill=BLUE)
        d.rectangle([602, ground - 395, 672, ground - 370], fill=YELLOW)
    elif scene in ("budget", "grant"):
        base = h - 60
        for i, bh in enumerate([120, 190, 160, 250, 300]):
            x0 = 260 + i * 150
            d.rectangle([x0, base - bh, x0 + 100, base], fill=BLUE if i < 4 else YELLOW)
        d.line([200, base, 1000, base], fill=NAVY, width=6)
        if scene == "grant":
            d.ellipse([860, ground - 200, 1040, ground - 20], fill=YELLOW, outline=NAVY, width=8)
            d.text((925, ground - 130), "€", fill=NAVY)
    elif scene == "heating":
        d.rectangle([420, ground - 260, 780, ground], fill=WHITE)
        d.polygon([(400, ground - 260), (600, ground - 380), (800, ground - 260)], fill=NAVY)
        d.rectangle([700, ground - 400, 740, ground - 300], fill=GREY)
        for i in range(3):
            d.ellipse([690 + i * 25, ground - 470 - i * 40, 750 + i * 25, ground - 420 - i * 40], fill=WHITE)
        for x in range(470, 740, 30):
            d.rounded_rectangle([x, ground - 150, x + 20, ground - 50], radius=8, fill="#e35d3a")
    elif scene == "park":
        for x in range(80, w, 190):
            d.rectangle([x + 40, ground - 20, x + 56, ground + 60], fill="#6b4a2b")
            d.ellipse([x, ground - 130, x + 96, ground - 10], fill=GREEN)
        d.rectangle([0, ground + 60, w, h], fill="#b9dcc8")
    elif scene == "culture":
        d.rectangle([300, ground - 280, 900, ground + 40], fill=NAVY)
        d.rectangle([340, ground - 240, 860, ground + 10], fill="#f6e7b0")
        for x in (340, 600):
            d.polygon([(x, ground - 240), (x + 260, ground - 240), (x + 130, ground - 40)], fill="#b42318")
        d.polygon([(520, 0), (680, 0), (760, ground - 240), (440, ground - 240)], fill="#fff6c9")
    elif scene == "shelter":
        d.polygon([(600, ground - 330), (860, ground - 250), (860, ground - 80), (600, ground + 30),
                   (340, ground - 80), (340, ground - 250)], fill=NAVY)
        d.rectangle([560, ground - 250, 640, ground - 40], fill=YELLOW)
        d.rectangle([500, ground - 190, 700, ground - 110], fill=YELLOW)
    elif scene == "water":
        for i in range(5):
            y = ground + 20 + i * 30
            d.arc([-100, y - 40, w + 100, y + 40], 0, 180, fill=BLUE, width=6)
        d.polygon([(600, ground - 300), (680, ground - 160), (600, ground - 110), (520, ground - 160)], fill=BLUE)
        d.ellipse([520, ground - 230, 680, ground - 70], fill=BLUE)
