"""sitegen: publish a software project's health as a static site."""

__version__ = "0.1.0"
