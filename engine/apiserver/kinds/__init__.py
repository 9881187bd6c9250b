"""One module per kind the sandbox serves; see engine/apiserver/registry.py."""
