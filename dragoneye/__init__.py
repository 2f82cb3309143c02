"""The Dragoneye computer-vision API for Python."""
