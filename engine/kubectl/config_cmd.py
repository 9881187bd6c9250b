"""kubectl config: view, current-context, get-contexts/clusters/users, use-context, set-context,
delete-context, rename-context, on root's kubeconfig (engine/kubeconfig.py). Wording and exit codes
as kubectl 1.20.2 prints them against the lab's admin.conf."""
from __future__ import annotations

import copy
import json

from engine import kubeconfig
from engine.kubectl import output, real_help
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError
from engine.kubectl.flags import Flag, parse
from engine.kubectl.table import render

VIEW_FORMATS = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
FLAGS = (Flag("output", short="o", default=""), Flag("raw", "bool", default=False),
         Flag("minify", "bool", default=False), Flag("flatten", "bool", default=False),
         Flag("merge", default="true"), Flag("current", "bool", default=False),
         Flag("no-headers", "bool", default=False))
MAX_CONTEXTS = 50
# set-context's own flags shadow the global --namespace/--cluster/--user of the same names.
SET_CONTEXT = ("namespace", "cluster", "user")


def run(ctx: Ctx, argv: list[str]) -> str:
    sub = next((a for a in argv if not a.startswith("-")), None)
    if sub is None:
        raise KubectlError(real_help.lookup("config", []))      # the help, and exit code 1
    rest = list(argv)
    rest.remove(sub)
    sub = "use-context" if sub == "use" else sub
    fn = SUB.get(sub)
    if fn is None:
        if sub in READ_ONLY_HERE:
            raise KubectlError(f"error: kubectl config {sub} is not part of this course's sandbox: the lab has "
                               "one cluster and one user (see `kubectl config view`)")
        raise KubectlError(f'error: unknown command "{sub}"\nSee \'kubectl config -h\' for help and examples')
    p = parse(f"config {sub}", rest, FLAGS)
    return fn(ctx, p)


def _view(ctx: Ctx, p) -> str:
    st = kubeconfig.state(ctx.cluster)
    fmt = p["output"] or "yaml"
    if fmt not in ("yaml", "json", "name") and not fmt.startswith("jsonpath"):
        raise KubectlError(f'error: unable to match a printer suitable for the output format "{fmt}", '
                           f"allowed formats are: {VIEW_FORMATS}")
    if p["minify"] and st["current"] not in st["contexts"]:
        raise KubectlError(f"error: cannot locate context {st['current']}" if st["current"] else
                           "error: current-context must exist in order to minify")
    doc = kubeconfig.document(ctx.cluster, raw=p["raw"], minify=p["minify"])
    if p["minify"] and not kubeconfig.reaches_lab(ctx.cluster):
        doc["clusters"] = doc["users"] = None
    if fmt == "json":
        return json.dumps(kubeconfig.as_json(doc), indent=4, ensure_ascii=False)
    if fmt == "name":
        return "config/<unknown>"       # kubectl's name printer on a Config, which has no metadata
    if fmt.startswith("jsonpath"):
        from engine.kubectl import templates
        return templates.render(fmt, doc, [])
    return output.to_yaml(doc)


def _current_context(ctx: Ctx, p) -> str:
    current = kubeconfig.state(ctx.cluster)["current"]
    if not current:
        raise KubectlError("error: current-context is not set")
    return current


def _get_contexts(ctx: Ctx, p) -> str:
    st = kubeconfig.state(ctx.cluster)
    names = sorted(st["contexts"])
    wanted = p.args or names
    if p["output"] == "name":
        missing = [n for n in wanted if n not in st["contexts"]]
        body = "\n".join(n for n in wanted if n in st["contexts"])
        if missing:
            raise KubectlError("\n".join([body] * bool(body) + [f"error: context {n} not found" for n in missing]))
        return body
    if p["output"]:
        raise KubectlError(f"error: --output {p['output']} is not available in kubectl config get-contexts; "
                           "resetting to default output format")
    rows, errors = [], []
    for name in wanted:
        c = st["contexts"].get(name)
        if c is None:
            errors.append(f"error: context {name} not found")
            continue
        rows.append(["*" if name == st["current"] else "", name, c.get("cluster", ""), c.get("user", ""),
                     c.get("namespace", "")])
    table = render(["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"], rows, no_headers=p["no-headers"])
    if errors:
        raise KubectlError("\n".join([table] + errors))
    return table


def _get_clusters(ctx: Ctx, p) -> str:
    return "NAME\n" + kubeconfig.CLUSTER


def _get_users(ctx: Ctx, p) -> str:
    return "NAME\n" + kubeconfig.USER


def _use_context(ctx: Ctx, p) -> str:
    if len(p.args) != 1:
        raise KubectlError(f"{real_help.lookup('config', ['use-context'])}\nerror: Unexpected args: [{' '.join(p.args)}]")
    name = p.args[0]
    st = copy.deepcopy(kubeconfig.state(ctx.cluster))
    if name not in st["contexts"]:
        raise KubectlError(f'error: no context exists with the name: "{name}"')
    st["current"] = name
    kubeconfig.save(ctx.cluster, st)
    return f'Switched to context "{name}".'


def _set_context(ctx: Ctx, p) -> str:
    if p["current"] and p.args:
        raise KubectlError("error: you cannot specify both a context name and --current")
    st = copy.deepcopy(kubeconfig.state(ctx.cluster))
    name = st["current"] if p["current"] else (p.args[0] if p.args else "")
    if not name:
        raise KubectlError("error: you must specify a non-empty context name or --current")
    existed = name in st["contexts"]
    if not existed and len(st["contexts"]) >= MAX_CONTEXTS:       # the kubeconfig lives in the sandbox's meta
        raise KubectlError(f"error: this sandbox's kubeconfig holds at most {MAX_CONTEXTS} contexts; remove one with "
                           "kubectl config delete-context NAME")
    entry = st["contexts"].setdefault(name, {"cluster": "", "user": ""})
    for field in SET_CONTEXT:
        if field in p.seen:
            value = p[field] or ""
            if field == "namespace" and not value:
                entry.pop("namespace", None)
            else:
                entry[field] = value
    kubeconfig.save(ctx.cluster, st)
    return f'Context "{name}" {"modified" if existed else "created"}.'


def _delete_context(ctx: Ctx, p) -> str:
    if len(p.args) != 1:
        raise KubectlError("error: Unexpected args: [" + " ".join(p.args) + "]" if p.args else
                           "error: Unexpected args: []")
    name = p.args[0]
    st = copy.deepcopy(kubeconfig.state(ctx.cluster))
    if name not in st["contexts"]:
        raise KubectlError(f"error: cannot delete context {name}, not in {kubeconfig.PATH}")
    del st["contexts"][name]
    kubeconfig.save(ctx.cluster, st)
    warn = ('warning: this removed your active context, use "kubectl config use-context" to select a different one\n'
            if name == st["current"] else "")
    return f"{warn}deleted context {name} from {kubeconfig.PATH}"


def _rename_context(ctx: Ctx, p) -> str:
    if len(p.args) != 2:
        raise KubectlError("error: Unexpected args: [" + " ".join(p.args) + "]\n"
                           "See 'kubectl config rename-context -h' for help and examples")
    old, new = p.args
    st = copy.deepcopy(kubeconfig.state(ctx.cluster))
    if old not in st["contexts"]:
        raise KubectlError(f'error: cannot rename the context "{old}", it\'s not in {kubeconfig.PATH}')
    if new in st["contexts"]:
        raise KubectlError(f'error: cannot rename the context "{old}", the context "{new}" already exists in '
                           f"{kubeconfig.PATH}")
    st["contexts"][new] = st["contexts"].pop(old)
    if st["current"] == old:
        st["current"] = new
    kubeconfig.save(ctx.cluster, st)
    return f'Context "{old}" renamed to "{new}".'


SUB = {"view": _view, "current-context": _current_context, "get-contexts": _get_contexts,
       "get-clusters": _get_clusters, "get-users": _get_users, "use-context": _use_context,
       "set-context": _set_context, "delete-context": _delete_context, "rename-context": _rename_context}
READ_ONLY_HERE = ("set", "unset", "set-cluster", "set-credentials", "delete-cluster", "delete-user")
VERBS_WITHOUT_SERVER = ("config", "completion", "help", "options", "plugin")


def check_reachable(ctx: Ctx, verb: str, argv: list[str]) -> None:
    """Before any verb that talks to the API server: the kubeconfig must lead to the lab. The global
    --context/--cluster/--user choose from it (a context without the lab's cluster has no server)."""
    if verb in VERBS_WITHOUT_SERVER:
        return
    context, cluster, user = (_global_flag(argv, name) for name in ("context", "cluster", "user"))
    if context is not None and context not in kubeconfig.state(ctx.cluster)["contexts"]:
        raise KubectlError(f"Error in configuration: context was not found for specified context: {context}")
    if cluster not in (None, kubeconfig.CLUSTER):
        raise KubectlError(f'error: no server found for cluster "{cluster}"')
    if user not in (None, kubeconfig.USER):
        raise KubectlError(f'error: auth info "{user}" does not exist')
    ctx.kube_context = context
    if cluster is None and not kubeconfig.reaches_lab(ctx.cluster, context):
        raise KubectlError(kubeconfig.REFUSED)


def _global_flag(argv: list[str], name: str) -> str | None:
    """The last `--name=V` / `--name V` before a `--` (pflag: the last one wins)."""
    value = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg.startswith(f"--{name}="):
            value = arg.partition("=")[2]
        elif arg == f"--{name}" and i + 1 < len(argv):
            value = argv[i + 1]
    return value
