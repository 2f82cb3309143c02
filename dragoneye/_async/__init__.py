"""Async facade; dragoneye/_sync/ is generated from it."""
