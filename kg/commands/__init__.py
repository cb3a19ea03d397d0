"""CLI commands, one module per command family; each registers itself on `kg.cli.app`."""
