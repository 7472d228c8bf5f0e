"""TikTok Pixel (web) + Events API (server): standard events and wiring.

Kept import-free so that the spec can read ``events`` without loading the generator.
"""
