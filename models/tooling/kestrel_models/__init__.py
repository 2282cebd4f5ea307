"""Kestrel's Python model tooling: tokenizers, tiny decoders and their ONNX export.

Used by the scripts that make the test fixtures (models/fixtures) and the demo model
(models/demo). Runs on Debian's python3-torch and python3-onnx; nothing here downloads.
"""
