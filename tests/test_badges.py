"""README badges: badges/*.svg in the shields.io style, made from the site's
own numbers, each an image with an accessible name."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import run_sitegen
from sitegen.site.badges import GREEN, RED, Badge, text_width

SVG = "{http://www.w3.org/2000/svg}"


def _badge(site: Path, name: str) -> tuple[str, str, ET.Element]:
    """(accessible name, the words drawn on it, the svg element)."""
    svg = ET.parse(site / "badges" / f"{name}.svg").getroot()
    drawn = [text.text for text in svg.iter(f"{SVG}text")][1::2]  # each text is drawn twice (shadow, then text)
    return svg.get("aria-label"), " ".join(drawn), svg


def test_badges_show_the_dashboards_numbers_and_the_gate(git_history: Path):
    assert run_sitegen("build", cwd=git_history).returncode == 0
    site = git_history / "public"
    assert sorted(p.name for p in (site / "badges").iterdir()) == ["gate.svg", "p1.svg", "progress.svg", "todos.svg"]
    assert _badge(site, "todos")[:2] == ("TODOs: 3", "TODOs 3")
    assert _badge(site, "p1")[:2] == ("P1 open: 5", "P1 open 5")
    assert _badge(site, "progress")[:2] == ("checklists: 20% done", "checklists 20% done")
    name, _, svg = _badge(site, "gate")
    assert name == "gate: passing" and svg.find(f"{SVG}title").text == name and svg.get("role") == "img"
    assert GREEN in ET.tostring(svg, encoding="unicode")

    (git_history / "sitegen.yaml").write_text("gate:\n  max_open: {P1: 0}\n", encoding="utf-8")
    assert run_sitegen("build", cwd=git_history).returncode == 0
    name, _, svg = _badge(site, "gate")
    assert name == "gate: failing" and RED in ET.tostring(svg, encoding="unicode")


def test_no_gate_badge_without_gate_rules(project: Path):
    assert run_sitegen("build", cwd=project).returncode == 0
    assert not (project / "public/badges/gate.svg").exists()
    assert (project / "public/badges/todos.svg").is_file()


def test_a_badges_box_grows_with_its_words():
    short, long = Badge("TODOs", "3", GREEN), Badge("TODOs", "12345", GREEN)
    assert long.width - short.width == text_width("12345") - text_width("3") > 0
    assert short.width == short.label_width + short.message_width


def _contrast_with_white(colour: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_white_words_on_every_badge_colour_reach_aa_contrast():
    from sitegen.site import badges
    for colour in (badges.LABEL_COLOUR, badges.GREEN, badges.YELLOW, badges.ORANGE, badges.RED, badges.BLUE,
                   badges.GREY):
        assert _contrast_with_white(colour if len(colour) == 7 else "#555555") >= 4.5, colour
