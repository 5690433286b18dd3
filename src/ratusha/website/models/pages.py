"""Page types of the council's website (Wagtail). Every page shows its publication and update dates
(docs/legal.md §5, art. 15); every page exposes ``search_text()`` (plain text for the site search) and
``meta_description()`` (the description and Open Graph tags of the layout)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils.cache import patch_cache_control
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ratusha.website.blocks import RICH_TEXT_FEATURES, BodyBlock, QuickLinkBlock, stream_text

NEWS_PER_PAGE = 12
HOME_NEWS = 6
HOME_ACTS = 5
MORE_NEWS = 4
DESCRIPTION_CHARS = 200


class NewsKind(models.TextChoices):
    NEWS = "news", _("Новина")
    ANNOUNCEMENT = "announcement", _("Оголошення")


def _plain(*parts: str) -> str:
    return " ".join(" ".join(strip_tags(p or "").split()) for p in parts if p)


class SitePage(Page):
    """Common behaviour (not a model of its own: each page type is concrete)."""

    class Meta:
        abstract = True

    intro_field = "intro"

    def search_text(self) -> str:
        return _plain(self.title, getattr(self, self.intro_field, ""), stream_text(getattr(self, "body", None)))

    def meta_description(self) -> str:
        text = self.search_description or getattr(self, self.intro_field, "") or self.search_text()
        return Truncator(_plain(text)).chars(DESCRIPTION_CHARS)

    def og_type(self) -> str:
        return "website"


class HomePage(SitePage):
    intro = models.TextField(_("вступ"), blank=True,
                             help_text=_("Короткий текст під назвою громади на головній сторінці."))
    quick_links = StreamField([("link", QuickLinkBlock())], blank=True, verbose_name=_("швидкі посилання"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("quick_links")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["website.NewsIndexPage", "website.StandardPage", "website.StructurePage",
                     "website.ContactsPage", "website.AccessibilityPage", "website.ServicesPage"]
    max_count = 1

    class Meta:
        verbose_name = _("головна сторінка")

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from ratusha.website.cache import memoized

        context = super().get_context(request, *args, **kwargs)
        context.update(memoized(("home", self.pk), self._lists))
        return context

    def _lists(self) -> dict[str, Any]:
        """What the home page lists (kept between requests until something is published)."""
        return {
            "latest_news": list(NewsPage.objects.live().public().descendant_of(self)
                                .order_by("-first_published_at").select_related("image")[:HOME_NEWS]),
            "news_index": NewsIndexPage.objects.live().descendant_of(self).first(),
            "latest_acts": latest_acts(HOME_ACTS),
            "services_page": ServicesPage.objects.live().descendant_of(self).first(),
        }


def latest_acts(limit: int) -> list[Any]:
    """The latest public decisions from the "acts" part of the site; nothing when it is absent."""
    try:
        from ratusha.website.acts.selectors import latest_acts as acts_selector  # type: ignore[import-not-found]
    except ImportError:
        return []
    try:
        return list(acts_selector(limit))
    except Exception:  # noqa: BLE001 - the home page must render even when that part fails
        import logging

        logging.getLogger(__name__).exception("latest_acts failed")
        return []


class NewsIndexPage(SitePage):
    intro = models.TextField(_("вступ"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["website.NewsPage"]

    class Meta:
        verbose_name = _("стрічка новин")

    def news(self) -> models.QuerySet:
        return (NewsPage.objects.live().public().child_of(self).select_related("image")
                .order_by("-first_published_at"))

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        items = self.news()
        kind = request.GET.get("kind", "")
        if kind in NewsKind.values:
            items = items.filter(kind=kind)
        else:
            kind = ""
        page_number = request.GET.get("page") or 1
        paginator = Paginator(items, NEWS_PER_PAGE)
        context["news_page"] = paginator.get_page(page_number)
        context["kind"], context["kinds"] = kind, NewsKind.choices
        return context


class NewsPage(SitePage):
    kind = models.CharField(_("вид"), max_length=16, choices=NewsKind.choices, default=NewsKind.NEWS)
    summary = models.TextField(_("короткий зміст"), max_length=400,
                               help_text=_("Одне-два речення: показуються у стрічці, в пошуку і в соцмережах."))
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("головне зображення"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    image_alt = models.CharField(_("текстова альтернатива зображення (alt)"), max_length=250, blank=True,
                                 help_text=_("Що зображено — обов'язково, якщо вибрано зображення."))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("текст"))

    intro_field = "summary"
    content_panels = [*Page.content_panels, FieldPanel("kind"), FieldPanel("summary"),
                      MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Зображення")),
                      FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body"),
                     index.FilterField("kind")]
    parent_page_types = ["website.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("новина або оголошення")
        verbose_name_plural = _("новини та оголошення")

    def clean(self) -> None:
        super().clean()
        self.image_alt = (self.image_alt or "").strip()
        if self.image_id and not self.image_alt:
            raise ValidationError({"image_alt": _("Опишіть зображення: без текстової альтернативи "
                                                  "його не можна опублікувати.")})

    def og_type(self) -> str:
        return "article"

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["more_news"] = list(NewsPage.objects.live().public().sibling_of(self, inclusive=False)
                                    .order_by("-first_published_at")[:MORE_NEWS])
        return context


class StandardPage(SitePage):
    intro = models.TextField(_("вступ"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("текст"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["website.HomePage", "website.StandardPage"]
    subpage_types = ["website.StandardPage"]

    class Meta:
        verbose_name = _("текстова сторінка")

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = self.get_children().live().public().specific()
        return context


class LivePage(SitePage):
    """A page generated from live data (orgs, reception schedules): never kept in the anonymous page
    cache, so it is always current (``no-cache``: shared caches revalidate, browsers may keep it)."""

    class Meta:
        abstract = True

    def serve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().serve(request, *args, **kwargs)
        patch_cache_control(response, no_cache=True, max_age=0)
        return response


class StructurePage(LivePage):
    intro = models.TextField(_("вступ"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("структура (з довідника організацій)")

    def structure(self) -> list[Any]:
        from ratusha.website.structure import council_structure

        return council_structure()

    def search_text(self) -> str:
        from ratusha.website.structure import structure_text

        return _plain(self.title, self.intro, structure_text(self.structure()))

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["nodes"] = self.structure()
        return context


class ContactsPage(LivePage):
    intro = models.TextField(_("вступ"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("додаткова інформація"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["website.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("контакти")

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from ratusha.website.structure import council_structure

        context = super().get_context(request, *args, **kwargs)
        context["nodes"] = [n for n in council_structure() if n.depth <= 1]
        return context


class Conformance(models.TextChoices):
    FULL = "full", _("повністю відповідає")
    PARTIAL = "partial", _("частково відповідає")
    NONE = "none", _("не відповідає")


class AccessibilityPage(SitePage):
    intro = models.TextField(_("вступ"), blank=True)
    conformance = models.CharField(_("стан відповідності"), max_length=10, choices=Conformance.choices,
                                   default=Conformance.PARTIAL)
    standard = models.CharField(_("стандарт"), max_length=200,
                                default="WCAG 2.1 AA / ДСТУ EN 301 549:2022")
    limitations = RichTextField(_("відомі обмеження"), features=RICH_TEXT_FEATURES, blank=True)
    feedback_email = models.EmailField(_("e-mail для відгуків"), blank=True)
    feedback_phone = models.CharField(_("телефон для відгуків"), max_length=40, blank=True)
    statement_date = models.DateField(_("дата складання заяви"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("додатково"))

    content_panels = [*Page.content_panels, FieldPanel("intro"),
                      MultiFieldPanel([FieldPanel("conformance"), FieldPanel("standard"), FieldPanel("statement_date")],
                                      heading=_("Відповідність")),
                      FieldPanel("limitations"),
                      MultiFieldPanel([FieldPanel("feedback_email"), FieldPanel("feedback_phone")],
                                      heading=_("Зворотний зв'язок")),
                      FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("limitations"),
                     index.SearchField("body")]
    parent_page_types = ["website.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("заява про доступність")

    def search_text(self) -> str:
        return _plain(super().search_text(), self.standard, self.limitations)


class ServicesPage(SitePage):
    intro = models.TextField(_("вступ"), blank=True)
    extra_links = StreamField([("link", QuickLinkBlock())], blank=True, verbose_name=_("додаткові послуги"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("extra_links")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("електронні послуги")

    def search_text(self) -> str:
        from ratusha.website.menus import e_services

        return _plain(self.title, self.intro, " ".join(f"{s['title']} {s['text']}" for s in e_services()))
