"""spaCy pipeline components for plan text, one job per file."""
