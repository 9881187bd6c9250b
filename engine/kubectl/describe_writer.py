"""The pieces every `kubectl describe` layout is built from (kubectl 1.20 pkg/describe).

kubectl writes `Key:\\tvalue` lines through a PrefixWriter (2 spaces a level) into a Go
tabwriter (padding 2), so columns align per run of consecutive lines that hold a tab.
Writer collects the same text and aligns it with our tabwriter port at the end.
"""
from __future__ import annotations

from engine.tabwriter import align
from engine.timefmt import human_duration, parse_rfc3339, rfc1123z

MAX_ANNOTATION_LEN = 140
SKIP_ANNOTATIONS = {"kubectl.kubernetes.io/last-applied-configuration"}


class Writer:
    def __init__(self, now: float):
        self.now = now
        self._parts: list[str] = []

    def write(self, level: int, text: str) -> None:
        self._parts.append("  " * level + text)

    def text(self) -> str:
        return align("".join(self._parts))

    # -- kubectl's shared printers -------------------------------------------------------------

    def labels(self, title: str, labels: dict | None, indent: str = "") -> None:
        """printLabelsMultilineWithIndent: first `k=v` after the title, the rest under it."""
        self.write(0, f"{indent}{title}:\t")
        if not labels:
            self.write(0, "<none>\n")
            return
        for i, key in enumerate(sorted(labels)):
            if i:
                self.write(0, f"{indent}\t")
            self.write(0, f"{key}={labels[key]}\n")

    def annotations(self, title: str, annotations: dict | None) -> None:
        self.write(0, f"{title}:\t")
        keys = sorted(k for k in annotations or {} if k not in SKIP_ANNOTATIONS)
        if not keys:
            self.write(0, "<none>\n")
            return
        for i, key in enumerate(keys):
            if i:
                self.write(0, "\t")
            value = str(annotations[key]).removesuffix("\n")
            if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
                self.write(0, f"{key}:\n")
                for line in value.split("\n"):
                    short = line if len(line) <= MAX_ANNOTATION_LEN - 2 else line[:MAX_ANNOTATION_LEN - 2] + "..."
                    self.write(0, f"\t  {short}\n")
            else:
                self.write(0, f"{key}: {value}\n")

    def multiline(self, title: str, items: list[str]) -> None:
        """Taints / tolerations: one per line, aligned under the first."""
        self.write(0, f"{title}:\t")
        if not items:
            self.write(0, "<none>\n")
            return
        for i, item in enumerate(items):
            if i:
                self.write(0, "\t")
            self.write(0, f"{item}\n")

    def events(self, events: list[dict] | None) -> None:
        """DescribeEvents; None means --show-events=false."""
        if events is None:
            return
        if not events:
            self.write(0, "Events:\t<none>\n")
            return
        self.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
        self.write(1, "----\t------\t----\t----\t-------\n")
        for ev in events:
            first = since(self.now, ev.get("firstTimestamp"))
            if ev.get("count", 1) > 1:
                interval = f"{since(self.now, ev.get('lastTimestamp'))} (x{ev['count']} over {first})"
            else:
                interval = first
            source = (ev.get("source") or {}).get("component") or ev.get("reportingComponent", "")
            self.write(1, f"{ev.get('type', '')}\t{ev.get('reason', '')}\t{interval}\t{source}\t"
                          f"{str(ev.get('message', '')).strip()}\n")


def since(now: float, stamp: str | None) -> str:
    """translateTimestampSince: `<unknown>` for a zero time, else HumanDuration (negative -> <invalid>)."""
    if not stamp:
        return "<unknown>"
    return human_duration(now - parse_rfc3339(stamp))


def when(stamp: str | None) -> str:
    """A metav1.Time in RFC 1123Z; Go's zero time when unset."""
    if not stamp:
        return "Mon, 01 Jan 0001 00:00:00 +0000"
    return rfc1123z(parse_rfc3339(stamp))


def controller_string(obj: dict) -> str:
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return f"{ref['kind']}/{ref['name']}"
    return ""


def format_labels(labels: dict | None) -> str:
    """labels.FormatLabels: `<none>` when empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def go_value(value) -> str:
    """fmt's %v for JSON values."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + " ".join(go_value(v) for v in value) + "]"
    return str(value)


def taint_string(taint: dict) -> str:
    key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def toleration_string(tol: dict) -> str:
    out = tol.get("key", "")
    if tol.get("value"):
        out += "=" + tol["value"]
    if tol.get("effect"):
        out += ":" + tol["effect"]
    if tol.get("operator") == "Exists" and not tol.get("value"):
        out += " op=Exists" if (tol.get("key") or tol.get("effect")) else "op=Exists"
    if tol.get("tolerationSeconds") is not None:
        out += f" for {tol['tolerationSeconds']}s"
    return out


def tolerations(tols: list[dict] | None) -> list[str]:
    # kubectl sorts by key only; Python's stable sort matches Go's insertion sort on short lists
    return [toleration_string(t) for t in sorted(tols or (), key=lambda t: t.get("key", ""))]


def taints(items: list[dict] | None) -> list[str]:
    return [taint_string(t) for t in sorted(items or (), key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")]
