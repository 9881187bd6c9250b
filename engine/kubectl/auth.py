"""kubectl auth can-i, and api-versions: what the lab's API server answers about itself.

root on m-k8s is kubernetes-admin (group system:masters, bound to cluster-admin), so every
SelfSubjectAccessReview is allowed; `--list` prints the SelfSubjectRulesReview kubectl compacts
and sorts: cluster-admin's wildcards plus the rules of system:basic-user, system:discovery and
system:public-info-viewer (hence the repeated non-resource URLs, as on a real 1.20 cluster).
"""
from __future__ import annotations

from engine.kubectl import real_help
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, usage_error
from engine.kubectl.flags import Flag, parse
from engine.kubectl.resources import resolve
from engine.kubectl.table import render

# GET /api and /apis of the lab (v1.20.2 with Calico 3.17.1's CRDs), as `kubectl api-versions` sorts them.
API_VERSIONS = (
    "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1beta1", "apiextensions.k8s.io/v1",
    "apiextensions.k8s.io/v1beta1", "apiregistration.k8s.io/v1", "apiregistration.k8s.io/v1beta1", "apps/v1",
    "authentication.k8s.io/v1", "authentication.k8s.io/v1beta1", "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1", "autoscaling/v1", "autoscaling/v2beta1", "autoscaling/v2beta2", "batch/v1",
    "batch/v1beta1", "certificates.k8s.io/v1", "certificates.k8s.io/v1beta1", "coordination.k8s.io/v1",
    "coordination.k8s.io/v1beta1", "crd.projectcalico.org/v1", "discovery.k8s.io/v1beta1", "events.k8s.io/v1",
    "events.k8s.io/v1beta1", "extensions/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta1", "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1", "node.k8s.io/v1", "node.k8s.io/v1beta1", "policy/v1beta1",
    "rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1beta1", "scheduling.k8s.io/v1",
    "scheduling.k8s.io/v1beta1", "storage.k8s.io/v1", "storage.k8s.io/v1beta1", "v1")

CAN_I_FLAGS = (Flag("all-namespaces", "bool", short="A", default=False), Flag("list", "bool", default=False),
               Flag("quiet", "bool", short="q", default=False), Flag("no-headers", "bool", default=False),
               Flag("subresource", default=""))
RESOURCE_VERBS = {"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "use", "bind",
                  "impersonate", "*"}
NON_RESOURCE_VERBS = {"get", "put", "post", "head", "options", "delete", "patch", "*"}
# kubectl's nonStandardResourceNames: asked about without a discovery warning.
NON_STANDARD = {"*", "users", "groups", "serviceaccounts"}
DISCOVERY = ("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz",
             "/version", "/version/")
PUBLIC_INFO = ("/healthz", "/livez", "/readyz", "/version", "/version/")


def api_versions(ctx: Ctx, argv: list[str]) -> str:
    p = parse("api-versions", argv, ())
    if p.args:
        raise usage_error("api-versions", f"unexpected arguments: [{' '.join(p.args)}]")
    return "\n".join(API_VERSIONS)


def run(ctx: Ctx, argv: list[str]) -> str:
    sub = next((a for a in argv if not a.startswith("-")), None)
    if sub is None:
        raise KubectlError(real_help.lookup("auth", []))        # the help, and exit code 1
    if sub != "can-i":
        if sub == "reconcile":
            raise KubectlError("error: kubectl auth reconcile is not part of this course's sandbox")
        raise KubectlError(f'error: unknown command "{sub}"\nSee \'kubectl auth -h\' for help and examples')
    rest = list(argv)
    rest.remove(sub)
    p = parse("auth can-i", rest, CAN_I_FLAGS)
    if p["list"]:
        if p["quiet"] or p["all-namespaces"] or p["subresource"]:
            raise KubectlError("error: list option can't be specified with neither quiet, all-namespaces nor "
                               "subresource options")
        if p.args:
            raise KubectlError("error: list option must be specified with no arguments")
        return _rules_table(p["no-headers"])
    if len(p.args) not in (2, 3):
        raise KubectlError("error: you must specify two or three arguments: verb, resource, and optional resourceName")
    verb, what = p.args[0], p.args[1]
    warnings = []
    if what.startswith("/"):
        if p["subresource"]:
            raise KubectlError("error: --subresource can not be used with NonResourceURL")
        if len(p.args) == 3:
            raise KubectlError("error: NonResourceURL and ResourceName can not specified together")
        if verb not in NON_RESOURCE_VERBS:
            warnings.append(f"Warning: verb '{verb}' is not a known verb")
    else:
        resource = what.partition("/")[0].lower()
        try:
            res = resolve(resource)
        except KubectlError:
            res = None
        if res is None and resource not in NON_STANDARD:
            group = resource.partition(".")[2]
            warnings.append(f"Warning: the server doesn't have a resource type '{resource.partition('.')[0]}'"
                            + (f" in group '{group}'" if group else ""))
        elif res is not None and not res.namespaced and not p["all-namespaces"]:
            warnings.append(f"Warning: resource '{res.plural}' is not namespace scoped"
                            + (f" in group '{res.group}'" if res.group else ""))
        if verb not in RESOURCE_VERBS:
            warnings.append(f"Warning: verb '{verb}' is not a known verb")
    if p["no-headers"]:
        raise KubectlError("\n".join(warnings + ["error: --no-headers cannot be set without --list specified"]))
    if p["quiet"]:
        return "\n".join(warnings)
    return "\n".join(warnings + ["yes"])


def _rules_table(no_headers: bool) -> str:
    """cluster-admin ∪ basic-user ∪ discovery ∪ public-info-viewer, compacted and sorted as kubectl does:
    by the rules' Go String() (`&PolicyRule{Verbs:[get],…,NonResourceURLs:[/api/*],}`), so verbs
    decide first and `/api/*` sorts before `/api` (`/` < `]`)."""
    rows = [["*.*", "[]", "[]", "[*]"], ["", "[*]", "[]", "[*]"],
            ["selfsubjectaccessreviews.authorization.k8s.io", "[]", "[]", "[create]"],
            ["selfsubjectrulesreviews.authorization.k8s.io", "[]", "[]", "[create]"]]
    urls = sorted(DISCOVERY + PUBLIC_INFO, key=lambda url: url + "]")
    rows += [["", f"[{url}]", "[]", "[get]"] for url in urls]
    return render(["Resources", "Non-Resource URLs", "Resource Names", "Verbs"], rows, no_headers=no_headers)
