"""Generators for the validator tests: manifests and their mutations, hostile and vendor-like zips."""
