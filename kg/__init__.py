"""kg: a knowledge graph of China's municipal health-service plans."""

__version__ = "0.1.0"
