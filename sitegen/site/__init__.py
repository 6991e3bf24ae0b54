"""Model → static site: pages (what to render), render (Jinja and themes),
output (writing a complete site, then swapping it into place)."""
