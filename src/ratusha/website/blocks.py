"""StreamField blocks of the website's pages (news, standard pages…).

Every image carries REQUIRED alt text (WCAG 2.1 1.1.1; docs/legal.md §7): the block refuses to validate
without it, so a page cannot be saved or published with an image that has no text alternative.
A table is entered as plain lines (cells separated by «|»): the first line is the header row.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]
TABLE_CELL_SEPARATOR = "|"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Текст заголовка"), max_length=200)
    level = blocks.ChoiceBlock(label=_("Рівень"), choices=[("h2", _("Розділ (H2)")), ("h3", _("Підрозділ (H3)"))],
                               default="h2")

    class Meta:
        icon = "title"
        label = _("Заголовок")
        template = "website/blocks/heading.html"


class AccessibleImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Зображення"))
    alt = blocks.CharBlock(
        label=_("Текстова альтернатива (alt)"), required=True, max_length=250,
        help_text=_("Що зображено — для людей, які не бачать зображення. Обов'язково."))
    caption = blocks.CharBlock(label=_("Підпис"), required=False, max_length=250)

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") is not None and not (value.get("alt") or "").strip():
            raise StructBlockValidationError(
                block_errors={"alt": ValidationError(_("Опишіть зображення: без текстової альтернативи "
                                                       "його не можна опублікувати."))})
        return value

    class Meta:
        icon = "image"
        label = _("Зображення")
        template = "website/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Цитата"))
    source = blocks.CharBlock(label=_("Автор або джерело"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Цитата")
        template = "website/blocks/quote.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Документ"))
    title = blocks.CharBlock(label=_("Назва посилання"), required=False, max_length=250,
                             help_text=_("Якщо порожньо — назва документа."))

    class Meta:
        icon = "doc-full"
        label = _("Документ")
        template = "website/blocks/document.html"


class TableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("Назва таблиці"), max_length=250,
                               help_text=_("Коротко: про що таблиця (читачі екрана оголошують її)."))
    data = blocks.TextBlock(
        label=_("Рядки таблиці"),
        help_text=_("Кожен рядок — з нового рядка, комірки розділяйте знаком «|». Перший рядок — заголовки."))

    def clean(self, value):
        value = super().clean(value)
        if not table_rows(value.get("data") or ""):
            raise StructBlockValidationError(block_errors={"data": ValidationError(_("Таблиця порожня."))})
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        rows = table_rows(value.get("data") or "")
        context["header"], context["rows"] = (rows[0], rows[1:]) if rows else ([], [])
        return context

    class Meta:
        icon = "table"
        label = _("Таблиця")
        template = "website/blocks/table.html"


def table_rows(data: str) -> list[list[str]]:
    """The table's lines split into cells; blank lines skipped; rows padded to the widest row."""
    rows = [[cell.strip() for cell in line.split(TABLE_CELL_SEPARATOR)] for line in data.splitlines() if line.strip()]
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Текст"), features=RICH_TEXT_FEATURES,
                                     template="website/blocks/paragraph.html")
    heading = HeadingBlock()
    image = AccessibleImageBlock()
    quote = QuoteBlock()
    document = DocumentLinkBlock()
    table = TableBlock()


class QuickLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Назва"), max_length=120)
    page = blocks.PageChooserBlock(label=_("Сторінка сайту"), required=False)
    url = blocks.CharBlock(label=_("Або адреса"), required=False, max_length=500,
                           help_text=_("Напр. /decisions/ або https://…"))
    description = blocks.CharBlock(label=_("Опис"), required=False, max_length=200)

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not (value.get("url") or "").strip():
            raise StructBlockValidationError(block_errors={"url": ValidationError(_("Виберіть сторінку або вкажіть адресу."))})
        return value

    class Meta:
        icon = "link"
        label = _("Посилання")


def stream_text(stream) -> str:
    """Plain text of a body StreamField (for search): paragraphs, headings, quotes, captions, tables."""
    parts: list[str] = []
    for child in stream or []:
        value, kind = child.value, child.block_type
        if kind == "paragraph":
            parts.append(strip_tags(getattr(value, "source", str(value))))
        elif kind == "heading":
            parts.append(value.get("text") or "")
        elif kind == "quote":
            parts.extend([value.get("text") or "", value.get("source") or ""])
        elif kind == "image":
            parts.extend([value.get("alt") or "", value.get("caption") or ""])
        elif kind == "document":
            document = value.get("document")
            parts.append(value.get("title") or (document.title if document else ""))
        elif kind == "table":
            parts.extend([value.get("caption") or "", (value.get("data") or "").replace(TABLE_CELL_SEPARATOR, " ")])
    return " ".join(" ".join(p.split()) for p in parts if p and p.strip())
