"""`-o yaml|json|name` as kubectl prints them (sorted keys; yaml quotes like go-yaml)."""
from __future__ import annotations

import json

import yaml

from engine.kubectl.resources import for_kind


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    # go-yaml double-quotes strings that would otherwise read as another type ("1", "true", dates).
    style = None
    if dumper.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str" or value == "":
        style = '"'
    elif "\n" in value:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(type(None), lambda d, v: d.represent_scalar("tag:yaml.org,2002:null", "null"))


def to_yaml(obj) -> str:
    return yaml.dump(obj, Dumper=_Dumper, default_flow_style=False, sort_keys=True, allow_unicode=True,
                     width=80).rstrip("\n")


def to_json(obj) -> str:
    return json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=False)


def as_list(items: list[dict]) -> dict:
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": "", "selfLink": ""}}


def name_of(obj: dict) -> str:
    return f"{for_kind(obj['kind']).label}/{obj['metadata']['name']}"



def _declaration_ranks() -> dict[str, int]:
    """JSON field names in Go declaration order (TypeMeta, ObjectMeta, DeploymentSpec, PodSpec,
    Container, …), first occurrence wins: enough to order what kubectl's generators build."""
    import json as _json
    from pathlib import Path
    order = ["kind", "apiVersion", "metadata", "spec", "status", "data", "stringData", "type"]
    order += ["replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit", "paused",
              "progressDeadlineSeconds", "matchLabels", "matchExpressions"]
    fields = _json.loads((Path(__file__).resolve().parent.parent / "podtemplate_fields.json").read_text())
    for struct in fields["structs"]:
        order += [f["json"] for f in struct["fields"] if f.get("json")]
    ranks: dict[str, int] = {}
    for i, name in enumerate(order):
        ranks.setdefault(name, i)
    return ranks


_RANKS: dict[str, int] | None = None


def _typed(value):
    global _RANKS
    if _RANKS is None:
        _RANKS = _declaration_ranks()
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (_RANKS.get(k, len(_RANKS)), k))
        return {k: _typed(value[k]) for k in keys}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return value


def to_json_typed(obj) -> str:
    """-o json of an object kubectl built or got back typed (create/run): Go's struct field order,
    unlike `get -o json`, which prints unstructured objects with sorted keys."""
    return json.dumps(_typed(obj), indent=4, ensure_ascii=False)
