"""Reading a dashboard page back: its external references and its charts' values.

The tests use these to compare what is drawn with the roll-up, and to prove the page refers to
nothing outside itself.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

__all__ = ["bar_parts", "chart_ids", "chart_values", "external_references", "printed_values"]

_SVG = "{http://www.w3.org/2000/svg}"
# Attributes through which a page can make a request (or navigate).
_URL_ATTRIBUTES = frozenset(
    {
        "src",
        "href",
        "xlink:href",
        "srcset",
        "action",
        "formaction",
        "poster",
        "data",
        "background",
        "cite",
        "longdesc",
        "manifest",
        "ping",
        "codebase",
    }
)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)", re.IGNORECASE)
# Elements that fetch or run something whatever their attributes say.
_FETCHING = frozenset({"script", "link", "iframe", "frame", "object", "embed", "base", "meta"})


def _local(url: str) -> bool:
    url = url.strip()
    return url.startswith(("data:", "#")) or url == ""


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag in _FETCHING and tag != "meta":
            self.found.append(f"<{tag}> element")
        if tag == "meta" and (named.get("http-equiv") or "").lower() == "refresh":
            self.found.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if value is None:
                continue
            if name in _URL_ATTRIBUTES and not _local(value):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self._css(value, f"<{tag} style>")
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}> (a script)")
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._css(data, "<style>")

    def _css(self, css: str, where: str) -> None:
        self.found.extend(
            f"{where} url({m[2]})" for m in _CSS_URL.finditer(css) if not _local(m[2])
        )
        self.found.extend(f"{where} @import {m[1]}" for m in _CSS_IMPORT.finditer(css))


def external_references(html: str) -> list[str]:
    """Everything in ``html`` that would make the browser fetch or run something: a
    ``src``/``href``-like attribute that is not ``data:`` or ``#…``, a CSS ``url()`` or
    ``@import`` elsewhere, a script, a link, a frame, an object, an event handler attribute."""
    parser = _References()
    parser.feed(html)
    parser.close()
    return parser.found


def chart_ids(html: str) -> list[str]:
    """The ids of the page's inline SVG charts, in page order."""
    return re.findall(r'<svg [^>]*id="chart-([\w-]+)"', html)


def _svg(html: str, chart_id: str) -> ET.Element:
    start = html.index(f'id="chart-{chart_id}"')
    start = html.rindex("<svg", 0, start)
    end = html.index("</svg>", start) + len("</svg>")
    return ET.fromstring(html[start:end])  # noqa: S314 - our own page, read back in a test


def chart_values(html: str, chart_id: str) -> dict[str, list[float]]:
    """Each series of a chart by its legend's name, with the values pygal drew (in drawing
    order: a horizontal chart draws its first label at the bottom)."""
    root = _svg(html, chart_id)
    legends: dict[int, str] = {}
    for group in root.iter(f"{_SVG}g"):
        found = re.fullmatch(r"activate-serie-(\d+)", group.get("id", ""))
        if found:
            legends[int(found[1])] = "".join(group.itertext()).strip()
    values: dict[int, list[float]] = {}
    for group in root.iter(f"{_SVG}g"):
        found = re.search(r"\bserie-(\d+)\b", group.get("class", ""))
        if not found:
            continue
        drawn = [
            float(desc.text or "nan")
            for desc in group.iter(f"{_SVG}desc")
            if desc.get("class") == "value"
        ]
        if drawn:
            values.setdefault(int(found[1]), drawn)
    return {legends[number]: drawn for number, drawn in sorted(values.items())}


def printed_values(html: str, chart_id: str) -> list[tuple[float, float, str]]:
    """The values written on a chart's bars, as drawn: ``(x, y, text)``, the text's middle."""
    root = _svg(html, chart_id)
    return [
        (float(text.get("x", "nan")), float(text.get("y", "nan")), text.text or "")
        for text in root.iter(f"{_SVG}text")
        if "value" in text.get("class", "").split() and text.text
    ]


def bar_parts(html: str, chart_id: str) -> list[tuple[float, float, float, float]]:
    """The parts of a chart's bars as drawn: ``(x, y, width, height)`` of each one's rectangle."""
    root = _svg(html, chart_id)
    parts = []
    for group in root.iter(f"{_SVG}g"):
        if "bar" in group.get("class", "").split():
            for rect in group.iter(f"{_SVG}rect"):
                x, y, width, height = (
                    float(rect.get(n) or 0) for n in ("x", "y", "width", "height")
                )
                parts.append((x, y, width, height))
    return parts
