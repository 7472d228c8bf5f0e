"""Meta Pixel (web) + Conversions API (server): standard events and parameter mapping.

Facts and sources: docs/meta.md and the research notes it cites.
"""
