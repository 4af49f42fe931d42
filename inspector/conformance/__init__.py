"""Conformance (SPEC 13): whether a payload is what its provider documents, field by field."""
