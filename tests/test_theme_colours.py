"""The default theme's colours meet WCAG AA contrast (4.5:1 for text) in its
light and its dark scheme, badges included, and code is coloured for both."""

from __future__ import annotations

import re

import pytest

from sitegen.config import BUNDLED_THEMES
from sitegen.site.highlight import pygments_css

STYLE = (BUNDLED_THEMES / "default/static/style.css").read_text()


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", block))


def _schemes() -> dict[str, dict[str, str]]:
    light = _variables(re.search(r"^:root \{(.*?)\}", STYLE, re.S | re.M).group(1))
    dark_block = re.search(r"@media \(prefers-color-scheme: dark\) \{\s*:root \{(.*?)\}", STYLE, re.S).group(1)
    return {"light": light, "dark": {**light, **_variables(dark_block)}}


def _luminance(colour: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


PAIRS = [(text, background) for background in ("bg", "panel")
         for text in ("fg", "muted", "accent", "done", "p1", "p2", "p3", "p4")]
PAIRS += [("badge-fg", badge) for badge in ("p1", "p2", "p3", "p4")] + [("warn-fg", "warn-bg")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_meets_wcag_aa_contrast(scheme, text, background):
    colours = _schemes()[scheme]
    assert contrast(colours[text], colours[background]) >= 4.5, (scheme, text, background)


def test_colours_come_from_the_scheme_not_fixed_values():
    rules = re.sub(r"/\*.*?\*/", "", STYLE, flags=re.S)
    rules = re.sub(r":root \{.*?\}", "", rules, flags=re.S)
    assert not re.search(r"(?<![\w-])color:\s*#", rules), "a fixed text colour ignores the dark scheme"


def test_code_has_a_dark_style_for_dark_mode():
    css = pygments_css()
    light, _, dark = css.partition("@media (prefers-color-scheme: dark)")
    background = re.compile(r"\.highlight \{ background: (#[0-9a-fA-F]{6})")
    assert contrast(background.search(light).group(1), "#ffffff") < 1.1
    assert contrast(background.search(dark).group(1), "#000000") < 1.5
