"""The knowledge base: the hand-written and generated TOML files in this folder, loaded by `base`."""
