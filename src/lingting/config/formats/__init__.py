"""Per-language format overrides (settings.FORMAT_MODULE_PATH); Django's own fill the rest."""
