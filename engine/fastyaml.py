"""libyaml's C loader and dumper where PyYAML was built with it, the pure-Python ones otherwise.

Parsing the content files (quiz bank, labs, messages, images) with the pure-Python loader was most
of `kubetutor console`'s start-up; the C classes parse the same documents into the same values.
"""
from __future__ import annotations

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(stream):
    """yaml.safe_load, with the C loader when there is one."""
    return yaml.load(stream, Loader=SafeLoader)
