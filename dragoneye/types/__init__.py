"""Public types: `dragoneye.types.exception`, `dragoneye.types.media`, `dragoneye.types.common`."""
