"""What the API server knows about one kind: the declaration every module in `kinds/` makes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

Obj = dict[str, Any]


class Names:
    """How the API names a resource (shared by the registry's kinds and discovery's rows)."""
    kind: str
    plural: str
    group: str
    version: str

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        """`pods`, `deployments.apps`: how the server names it in errors."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def label(self) -> str:
        """`pod`, `deployment.apps`: how kubectl names objects in messages and `-o name`."""
        kind = self.kind.lower()
        return f"{kind}.{self.group}" if self.group else kind


@dataclass(frozen=True)
class Kind(Names):
    kind: str
    plural: str
    singular: str
    group: str = ""                          # "" = core
    version: str = "v1"
    namespaced: bool = True
    shorts: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()         # `all` puts it in `kubectl get all`
    schema: str = ""                         # its OpenAPI definition (validation); "" = not validated
    also_served: tuple[tuple[str, str], ...] = ()   # (version, deprecation warning) of older versions
    immutable: tuple[str, ...] = ()          # dotted paths the server refuses to change on update
    # Hooks (each optional). Modules import engine internals inside them: the registry loads early.
    defaults: Callable[[Any, Obj], None] | None = None          # (cluster, obj): SetDefaults_<Kind>
    validate: Callable[[Obj], list[str]] | None = None          # field errors beyond the schema
    validate_update: Callable[[Obj, Obj], list[str]] | None = None   # (live, new): update-only rules
    prepare_update: Callable[[Obj, Obj], None] | None = None    # (live, new): what a PUT may leave out
    store: Callable[[Any, Obj], Obj] | None = None              # (cluster, obj): what a create also does
    # (cluster, obj, grace, force) -> seconds until it is gone (None: it stays Terminating), when a
    # delete is more than removing the object (graceful pods, namespace termination, releases)
    delete: Callable[[Any, Obj, int | None, bool], float | None] | None = None
    describer: str = ""                      # "module:function" printing `kubectl describe` ("" = generic)
    columns: str = ""                        # "module:NAME" of its (columns, wide extras) table, if not built in
    stored: bool = True                      # the sandbox stores it (else it lists as empty)
    # (cluster) -> objects, for a kind the server computes on every read instead of storing
    # (ComponentStatus: the server probes the components when asked)
    read: Callable[[Any], list[Obj]] | None = None
    warning: str = ""                        # the server's deprecation warning on every request for it
    name_rule: str = "subdomain"             # metadata.name: subdomain | label | dns1035 | path

    @property
    def group_kind(self) -> str:
        """`Pod`, `Deployment.apps`: the server's qualified kind in Invalid messages."""
        return f"{self.kind}.{self.group}" if self.group else self.kind
