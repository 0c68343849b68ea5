"""StreamField blocks shared by every content page of the portal.

Struct blocks first, then the stream block that pages use. Each block renders semantic,
accessible HTML (see the templates under ``home/templates/home/blocks/``).
"""

from urllib.parse import parse_qs, urlparse

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

TABLE_OPTIONS = {
    "minSpareRows": 0,
    "startRows": 3,
    "startCols": 3,
    "colHeaders": False,
    "rowHeaders": False,
    "contextMenu": True,
    "editor": "text",
    "stretchH": "all",
    "language": "ru-RU",
    "renderer": "text",
    "autoColumnSize": False,
}

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Текст заголовка"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Уровень"),
        choices=[("h2", _("Раздел (h2)")), ("h3", _("Подраздел (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Заголовок")
        template = "home/blocks/heading.html"
        preview_value = {"text": _("Показатели и формулы"), "level": "h2"}


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Изображение"))
    alt_text = blocks.CharBlock(
        label=_("Альтернативный текст"),
        max_length=250,
        required=False,
        help_text=_("Что изображено — для незрячих читателей. Пусто — декоративное изображение."),
    )
    caption = blocks.CharBlock(label=_("Подпись"), max_length=250, required=False)

    class Meta:
        icon = "image"
        label = _("Изображение с подписью")
        template = "home/blocks/image.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Документ"))
    title = blocks.CharBlock(
        label=_("Название"),
        max_length=250,
        required=False,
        help_text=_("Если пусто — название документа из библиотеки."),
    )

    class Meta:
        icon = "doc-full"


class DocumentListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Заголовок списка"), max_length=200, required=False)
    documents = blocks.ListBlock(DocumentLinkBlock(), label=_("Документы"))

    class Meta:
        icon = "folder-open-inverse"
        label = _("Список документов")
        template = "home/blocks/document_list.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Вид"),
        choices=[
            ("info", _("Справка")),
            ("important", _("Важно")),
            ("deadline", _("Срок")),
        ],
        default="info",
    )
    title = blocks.CharBlock(label=_("Заголовок"), max_length=200, required=False)
    text = blocks.RichTextBlock(label=_("Текст"), features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "warning"
        label = _("Выноска")
        template = "home/blocks/callout.html"


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Вопрос"), max_length=300)
    answer = blocks.RichTextBlock(label=_("Ответ"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Заголовок"), max_length=200, required=False)
    items = blocks.ListBlock(FAQItemBlock(), label=_("Вопросы и ответы"))

    class Meta:
        icon = "list-ul"
        label = _("Вопросы и ответы (аккордеон)")
        template = "home/blocks/faq.html"


# Video hosts whose player may be framed; anything else renders as a plain link so
# that no third-party script is loaded without the editor choosing a known host.
EMBEDDABLE_VIDEO_HOSTS = {
    "rutube.ru": "rutube",
    "www.rutube.ru": "rutube",
    "youtube.com": "youtube",
    "www.youtube.com": "youtube",
    "youtu.be": "youtube",
    "vk.com": "vk",
    "vkvideo.ru": "vk",
}


def video_embed_url(url):
    """Player URL for a known video host, or "" when the link cannot be embedded."""
    parsed = urlparse(url)
    provider = EMBEDDABLE_VIDEO_HOSTS.get(parsed.hostname or "")
    path_parts = [part for part in parsed.path.split("/") if part]
    if provider == "rutube" and len(path_parts) >= 2 and path_parts[0] == "video":
        return f"https://rutube.ru/play/embed/{path_parts[1]}"
    if provider == "youtube":
        if parsed.hostname == "youtu.be" and path_parts:
            return f"https://www.youtube-nocookie.com/embed/{path_parts[0]}"
        video_id = parse_qs(parsed.query).get("v", [""])[0]
        if video_id:
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    return ""


class VideoLinkBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("Ссылка на видео"))
    title = blocks.CharBlock(label=_("Название видео"), max_length=200)
    transcript = blocks.TextBlock(
        label=_("Текстовая расшифровка"),
        required=False,
        help_text=_("Для читателей, которые не могут смотреть или слушать видео."),
    )

    class Meta:
        icon = "media"
        label = _("Видео (ссылка)")
        template = "home/blocks/video.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = video_embed_url(value["url"])
        return context


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Текст"),
        icon="pilcrow",
        features=RICH_TEXT_FEATURES,
        template="home/blocks/paragraph.html",
    )
    table = TableBlock(
        label=_("Таблица"), table_options=TABLE_OPTIONS, template="home/blocks/table.html"
    )
    image = ImageWithCaptionBlock()
    documents = DocumentListBlock()
    callout = CalloutBlock()
    faq = FAQBlock()
    video = VideoLinkBlock()
