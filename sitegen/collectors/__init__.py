"""Collectors turn files into model objects; they know nothing of HTML."""
