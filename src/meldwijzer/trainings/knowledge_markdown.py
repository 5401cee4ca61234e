"""Markdown of the knowledge texts, rendered safely.

A redacteur writes Markdown; it is shown to every professional. So raw HTML is never passed on
(it is shown as text), images are off, and a link must go to a web page (http, https), an e-mail
address (mailto) or a phone number (tel) — never `javascript:` or `data:`.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

LINK_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def _link_allowed(url: str) -> bool:
    return url.strip().lower().startswith(LINK_SCHEMES)


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable(["image", "html_block", "html_inline"])
    parser.validateLink = _link_allowed  # type: ignore[method-assign]
    return parser


_PARSER = _parser()


def markdown_render(text: str, *, heading_offset: int = 0) -> SafeString:
    """The text as HTML: markdown-it escapes every character of the text itself, and the parser
    above lets no HTML and no other kind of link through, so the result is safe to show.
    `heading_offset` moves the headings down where the text sits deeper in a page (a `##` becomes
    an h4 with offset 2), so the page's outline stays right."""
    tokens = _PARSER.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1]) + heading_offset)
            token.tag = f"h{level}"
            if token.type == "heading_open":
                token.attrSet("class", f"utrecht-heading-{level}")
        elif token.type == "inline":
            for child in token.children or []:
                if child.type == "link_open":
                    child.attrSet("class", "utrecht-link")
        elif token.type == "paragraph_open":
            token.attrSet("class", "utrecht-paragraph")
        elif token.type == "bullet_list_open":
            token.attrSet("class", "utrecht-unordered-list")
        elif token.type == "list_item_open":
            token.attrSet("class", "utrecht-unordered-list__item")
    html = _PARSER.renderer.render(tokens, _PARSER.options, {})
    return mark_safe(html)  # noqa: S308 - escaped by the parser, see the module docstring
