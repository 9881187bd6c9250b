"""kubectl get: tables (one per type), wide, name, yaml, json; -A, -l, --show-labels."""
from __future__ import annotations

from engine import fieldselect
from engine.apiserver import registry
from engine.kubectl import output, selectors, sorting
from engine.kubectl.columns import columns_for, join_labels, row_text
from engine.kubectl.context import Ctx
from engine.kubectl.errors import KubectlError, go_quote, not_found
from engine.kubectl.flags import Flag, parse
from engine.kubectl.resources import Resource, resolve
from engine.kubectl.table import render

FLAGS = (Flag("output", short="o", default=""), Flag("all-namespaces", "bool", short="A", default=False),
         Flag("selector", short="l", default=""), Flag("show-labels", "bool", default=False),
         Flag("no-headers", "bool", default=False), Flag("watch", "bool", short="w", default=False),
         Flag("field-selector", default=""), Flag("label-columns", "list", short="L"),
         Flag("sort-by", default=""), Flag("ignore-not-found", "bool", default=False),
         Flag("filename", "list", short="f"), Flag("recursive", "bool", short="R", default=False),
         Flag("chunk-size", "int", default=500), Flag("show-kind", "bool", default=False),
         Flag("output-watch-events", "bool", default=False), Flag("watch-only", "bool", default=False),
         Flag("raw", default=""))
# `all`: the kinds in that category, in discovery's order (core, then groups; versions; names)
ALL = tuple(k.plural for k in sorted((k for k in registry.KINDS.values() if "all" in k.categories),
                                     key=lambda k: (k.group != "", k.group, k.version, k.plural)))
FORMATS = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
NO_TYPE = ('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of '
           'supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" '
           'for a detailed description of that resource (e.g. kubectl explain pods).\n'
           "See 'kubectl get -h' for help and examples")


def targets(args: list[str]) -> list[tuple[Resource, list[str]]]:
    """`po,svc` / `pod a b` / `pod/a svc/b` -> [(resource, names)]; names [] means all."""
    if any("/" in a for a in args):
        out: list[tuple[Resource, list[str]]] = []
        for a in args:
            if "/" not in a:
                raise KubectlError("error: there is no need to specify a resource type as a separate argument "
                                   "when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' "
                                   "instead of 'kubectl get resource resource/<resource_name>'")
            kind, _, name = a.partition("/")
            if not kind or not name:
                raise KubectlError("error: arguments in resource/name form must have a single resource and name")
            res = resolve(kind)
            for r, names in out:
                if r == res:
                    names.append(name)
                    break
            else:
                out.append((res, [name]))
        return out
    types = [t for t in args[0].split(",") if t]
    if not types:
        raise KubectlError(NO_TYPE)
    expanded = []
    for t in types:
        if t.lower() == "all":
            expanded.extend(resolve(x) for x in ALL)
        else:
            expanded.append(resolve(t))
    names = args[1:]
    if names and len(expanded) > 1:
        raise KubectlError("error: you must specify only one resource")
    return [(r, list(names)) for r in expanded]


def named(ctx: Ctx, res: Resource, ns: str | None, name: str) -> dict | None:
    """The object `TYPE NAME` names (in `ns`, or default when -A gave none), or None."""
    computed = read(ctx, res)
    if computed is not None:
        return next((o for o in computed if o["metadata"]["name"] == name), None)
    return ctx.cluster.get(res.kind, (ns or "default") if res.namespaced else "", name) if res.supported else None


def read(ctx: Ctx, res: Resource) -> list[dict] | None:
    """The objects of a kind the server computes when asked (ComponentStatus), else None."""
    declared = registry.get(res.kind)
    return declared.read(ctx.cluster) if declared is not None and declared.read is not None else None


def warnings(resources) -> list[str]:
    """The server's deprecation warnings for what was asked (kubectl prints them first, on stderr)."""
    found = [w for w in (getattr(registry.get(r.kind), "warning", "") for r in resources) if w]
    return list(dict.fromkeys(found))


def list_objects(ctx: Ctx, res: Resource, ns: str | None, selector, field_selector: str = "") -> list[dict]:
    """What the API server lists: label selector, then field selector (FieldSelectorError if refused)."""
    match_fields = fieldselect.compile(res.kind, field_selector) if field_selector else None
    kind = res.kind if res.supported else None
    if kind is None:
        return []
    items = read(ctx, res)
    if items is None:
        items = ctx.cluster.list(kind, None if (ns is None or not res.namespaced) else ns)
    if selector is not None:
        items = [o for o in items if selector(o["metadata"].get("labels"))]
    if match_fields is not None:
        items = [o for o in items if match_fields(o)]
    if ns is None and res.namespaced:
        items.sort(key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))
    return items


def run(ctx: Ctx, argv: list[str]) -> str:
    p = parse("get", argv, FLAGS)
    fmt = p["output"]
    if fmt not in ("", "wide", "name", "yaml", "json") and not fmt.startswith(("jsonpath", "custom-columns")):
        raise KubectlError(f'error: unable to match a printer suitable for the output format "{fmt}", '
                           f"allowed formats are: {FORMATS}")
    if not p.args:
        raise KubectlError(NO_TYPE)
    wanted = targets(p.args)
    warned = warnings(r for r, _ in wanted)
    if warned:
        try:
            text = _run(ctx, p, fmt, wanted)
        except KubectlError as err:
            raise KubectlError("\n".join(warned + [err.text]), rc=err.rc)
        return "\n".join(warned + [text])
    return _run(ctx, p, fmt, wanted)


def _run(ctx: Ctx, p, fmt: str, wanted: list[tuple[Resource, list[str]]]) -> str:
    if p["watch"] or p["watch-only"]:
        from engine.kubectl import watch
        return watch.run(ctx, p, wanted)
    all_ns = p["all-namespaces"]
    ns = None if all_ns else ctx.namespace(p)
    label_text, field_text = p["selector"].strip(), p["field-selector"].strip()
    if (label_text or field_text) and any(names for _, names in wanted):
        raise KubectlError("error: " + ("selectors and the all flag cannot be used when passing resource/name "
                                        "arguments" if any("/" in a for a in p.args) else
                                        "name cannot be provided when a selector is specified"))
    selector = selectors.parse(label_text) if label_text else None
    groups: list[tuple[Resource, list[dict]]] = []
    errors: list[str] = []
    for res, names in wanted:
        if names:
            found = []
            for name in names:
                obj = named(ctx, res, ns, name)
                if obj is None:
                    if not p["ignore-not-found"]:
                        errors.append(not_found(res.qualified, name))
                else:
                    found.append(obj)
            groups.append((res, found))
        else:
            try:
                groups.append((res, list_objects(ctx, res, ns, selector, field_text)))
            except fieldselect.FieldSelectorError as refused:
                errors.append(list_refused(res, label_text, field_text, str(refused)))
    single_object = all(len(n) == 1 for _, n in wanted) and len(wanted) == 1
    if p["sort-by"]:
        groups = sort_groups(groups, [bool(n) for _, n in wanted], p["sort-by"], table=fmt in ("", "wide"),
                             single_object=single_object)
    body = render_groups(ctx, groups, fmt, p, all_ns, single_object=single_object)
    if not any(items for _, items in groups) and not errors and not fmt.startswith(("json", "yaml")) and fmt != "name":
        scoped = all(not r.namespaced for r, _ in groups) or all_ns
        return "No resources found" if scoped else f"No resources found in {ns} namespace."
    text = "\n".join(x for x in (body, *errors) if x)
    if errors:                      # kubectl prints what it found, then fails (exit 1) for the rest
        raise KubectlError(text)
    return text


def list_refused(res: Resource, label_text: str, field_text: str, message: str) -> str:
    """A BadRequest for a list, as kubectl rewords it (cli-runtime resource/selector.go)."""
    gvr = f"{res.group}/{res.version}, Resource={res.plural}"
    return (f"Error from server (BadRequest): Unable to find {go_quote(gvr)} that match label selector "
            f"{go_quote(label_text)}, field selector {go_quote(field_text)}: {message}")


def sort_groups(groups: list[tuple[Resource, list[dict]]], named: list[bool], sort_by: str, *, table: bool,
                single_object: bool) -> list[tuple[Resource, list[dict]]]:
    """--sort-by as kubectl 1.20 applies it: a table sorts each list's rows (a named object is a table
    of its own: checked, not moved); other formats sort everything printed as one list."""
    if table:
        out = []
        for (res, objs), by_name in zip(groups, named):
            for obj in objs if by_name else ():
                sorting.sort_objects([obj], sort_by)
            out.append((res, objs if by_name else sorting.sort_objects(objs, sort_by)))
        return out
    if single_object:
        return groups
    return [(groups[0][0], sorting.sort_objects([o for _, objs in groups for o in objs], sort_by))]


def render_groups(ctx: Ctx, groups, fmt: str, p, all_ns: bool, single_object: bool) -> str:
    items = [o for _, objs in groups for o in objs]
    if fmt == "name":
        return "\n".join(output.name_of(o) for o in items)
    if fmt in ("yaml", "json"):
        if not items and any(len(objs) == 0 for _, objs in groups) and single_object:
            return ""
        doc = items[0] if single_object and len(items) == 1 else output.as_list(items)
        return output.to_yaml(doc) if fmt == "yaml" else output.to_json(doc)
    if fmt.startswith(("jsonpath", "custom-columns")):
        from engine.kubectl import templates
        doc = items[0] if single_object and len(items) == 1 else output.as_list(items)
        return templates.render(fmt, doc, items)
    multi = len(groups) > 1
    tables = []
    for res, objs in groups:
        if not objs:
            continue
        tables.append(table_for(ctx, res, objs, wide=fmt == "wide", show_labels=p["show-labels"],
                                all_ns=all_ns and res.namespaced, prefix=multi, no_headers=p["no-headers"],
                                label_columns=p["label-columns"]))
    return "\n\n".join(tables)


def table_for(ctx: Ctx, res: Resource, objs: list[dict], *, wide: bool = False, show_labels: bool = False,
              all_ns: bool = False, prefix: bool = False, no_headers: bool = False,
              label_columns: list[str] | None = None) -> str:
    cols = columns_for(res.kind, wide)
    now = ctx.cluster.now
    headers = [h for h, _ in cols]
    rows = []
    for o in objs:
        row = row_text(cols, o, now)
        if prefix and headers[0] == "NAME":
            row[0] = f"{res.label}/{row[0]}"
        rows.append(row)
    for key in label_columns or ():
        headers.append(key.rsplit("/", 1)[-1].upper())
        for o, row in zip(objs, rows):
            row.append((o["metadata"].get("labels") or {}).get(key, ""))
    if show_labels:
        headers.append("LABELS")
        for o, row in zip(objs, rows):
            row.append(join_labels(o["metadata"].get("labels")))
    if all_ns:
        headers.insert(0, "NAMESPACE")
        for o, row in zip(objs, rows):
            row.insert(0, o["metadata"].get("namespace", ""))
    return render(headers, rows, no_headers=no_headers)
