"""gtmgen: a YAML spec of events becomes importable GTM web and server container exports."""

__version__ = "0.1.0"
