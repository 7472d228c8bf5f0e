"""The spec: a pydantic model of the YAML contract and a loader that keeps positions."""

from gtmgen.spec.loader import load_spec, load_spec_text
from gtmgen.spec.model import Event, Spec

__all__ = ["Event", "Spec", "load_spec", "load_spec_text"]
