"""Questions in Chinese: patterns, entity linking, answers."""
