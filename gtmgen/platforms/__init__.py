"""One folder per ad platform: its event names and property mapping (and, later, its
templates, audit rules and simulate stand-ins)."""
