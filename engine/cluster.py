"""The state of one sandbox: API objects, node facts, the clock (with its timers) and RNG.

One place mutates state (this class); controllers, kubectl and the shell ask it.
Objects are Kubernetes-shaped dicts keyed by (kind, namespace, name). Every change is
recorded in `changed`, so the store writes only what a command touched.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

from engine.apiserver import registry
from engine.clock import Clock
from engine.rng import Rng
from engine.timefmt import rfc3339

Obj = dict[str, Any]
Key = tuple[str, str, str]

MAX_OBJECTS = 2000          # a sandbox is bounded: creation beyond this is refused (events excluded)
EVENT_TTL = 3600.0          # the API server's default --event-ttl


class TooManyObjects(Exception):
    pass


class Cluster:
    def __init__(self, meta: dict[str, Any], objects: dict[Key, Obj], wall: Callable[[], float]):
        self.meta = meta
        self.by_kind: dict[str, dict[tuple[str, str], Obj]] = {}
        for (kind, ns, name), obj in objects.items():
            self.by_kind.setdefault(kind, {})[(ns, name)] = obj
        self.changed: dict[Key, Obj | None] = {}
        self.mutations = 0                 # counts every write; controllers settle when it stops moving
        self.cache: dict[str, Any] = {}    # derived, never persisted (indexes, scheduler signature)
        self._events: dict[tuple, Obj] | None = None
        self._sorted: dict[str, list[tuple[str, str]]] = {}   # kind -> keys in list order
        self._wall = wall
        # Called with (obj, deleted) on every write: kubectl's watches (get -w, rollout status, wait)
        # listen while they step the clock. Never persisted.
        self.observers: list[Callable[[Obj, bool], None]] = []
        self.rng = Rng(meta["rng"])
        # Resume at the instant the sandbox was last saved, so the timers due since then replay in
        # order on the way to now (starting at now would fire them all late, at the load time).
        self.clock = Clock.from_meta(meta, min(meta.get("now", float("inf")), self.clock_now()))

    # -- clock --------------------------------------------------------------------------------

    def clock_now(self) -> float:
        """Where the sandbox's clock should stand: the wall clock plus every `!wait`."""
        return self._wall() + self.meta["offset"]

    @property
    def now(self) -> float:
        return self.clock.now

    def stamp(self, at: float | None = None) -> str:
        return rfc3339(self.now if at is None else at)

    # -- timers (the clock's heap; see engine/clock.py) -------------------------------------------

    def schedule(self, delay: float, event: str, *key: Any) -> None:
        self.clock.schedule(delay, event, *key)

    def cancel(self, event: str, *key: Any) -> None:
        self.clock.cancel(event, *key)

    def sync_meta(self) -> dict[str, Any]:
        """The meta to persist: the RNG's and the clock's state written back as plain data."""
        self.meta["rng"] = self.rng.state
        self.meta["clock"] = self.clock.to_data()
        return self.meta

    # -- objects ------------------------------------------------------------------------------

    def get(self, kind: str, namespace: str, name: str) -> Obj | None:
        return self.by_kind.get(kind, {}).get((namespace, name))

    def list(self, kind: str, namespace: str | None = None) -> list[Obj]:
        """Objects in (namespace, name) order, as the API server lists them."""
        items = self.by_kind.get(kind, {})
        keys = self._sorted.get(kind)
        if keys is None:                       # kept until an object of this kind comes or goes
            keys = self._sorted[kind] = sorted(items)
        if namespace is None:
            return [items[k] for k in keys]
        return [items[k] for k in keys if k[0] == namespace]

    def iter(self, kind: str) -> Iterator[Obj]:
        """Objects of a kind for a controller's loop; objects a controller could not handle are
        skipped until they change (engine/controllers/guard.py)."""
        objs = list(self.by_kind.get(kind, {}).values())
        skipped = self.meta.get("skipped")
        if skipped:
            objs = [o for o in objs if skipped.get(o["metadata"].get("uid")) != o["metadata"].get("resourceVersion")]
        return iter(objs)

    def count(self) -> int:
        return sum(len(v) for k, v in self.by_kind.items() if k != "Event")

    def create(self, obj: Obj, *, generate: bool = False) -> Obj:
        """Store a new object with server-set metadata. With `generate`, metadata.generateName
        gets 5 random characters until the name is free."""
        kind = obj["kind"]
        md = obj.setdefault("metadata", {})
        if registry.namespaced(kind):
            md.setdefault("namespace", "default")
        # The cap first: a refused create draws nothing from the RNG, so a controller retrying at
        # the cap leaves the sandbox's random sequence as it found it.
        if kind != "Event" and self.count() >= MAX_OBJECTS:
            raise TooManyObjects(kind)
        if generate:
            prefix = md["generateName"][:58]
            while True:
                md["name"] = prefix + self.rng.suffix()
                if self.get(kind, md.get("namespace", ""), md["name"]) is None:
                    break
        md["uid"] = self.rng.uuid()
        md["creationTimestamp"] = md.get("creationTimestamp") or self.stamp()
        self._bump(md)
        self._put(obj)
        return obj

    def update(self, obj: Obj) -> Obj:
        self._bump(obj["metadata"])
        self._put(obj)
        return obj

    def touch(self, obj: Obj) -> None:
        """Record an in-place change without bumping the version (status-only bookkeeping)."""
        self._put(obj)

    def remove(self, obj: Obj) -> None:
        key = self.key_of(obj)
        if self.by_kind.get(key[0], {}).pop((key[1], key[2]), None) is not None:
            self.changed[key] = None
            self.mutations += 1
            self._sorted.pop(key[0], None)
            if key[0] == "Event" and self._events is not None:
                self._events.pop(_event_key(obj), None)
            for observe in self.observers:
                observe(obj, True)

    def _put(self, obj: Obj) -> None:
        key = self.key_of(obj)
        bucket = self.by_kind.setdefault(key[0], {})
        if (key[1], key[2]) not in bucket:
            self._sorted.pop(key[0], None)
        bucket[(key[1], key[2])] = obj
        self.changed[key] = obj
        self.mutations += 1
        for observe in self.observers:
            observe(obj, False)

    def _bump(self, md: dict) -> None:
        self.meta["rv"] += 1
        md["resourceVersion"] = str(self.meta["rv"])

    @staticmethod
    def key_of(obj: Obj) -> Key:
        md = obj["metadata"]
        return (obj["kind"], md.get("namespace", ""), md["name"])

    # -- node facts (not API objects: what runs on the machine) -------------------------------

    def host(self, node: str) -> dict[str, Any]:
        return self.meta["hosts"][node]

    # -- events -------------------------------------------------------------------------------

    def event(self, obj: Obj, reason: str, message: str, source: str, *, type_: str = "Normal",
              host: str | None = None, field_path: str | None = None) -> None:
        """Record an Event, or count a repeat of the same one (kubectl shows `x2 over 5m`)."""
        md = obj["metadata"]
        ns = md.get("namespace") or "default"
        if self._events is None:
            self._events = {_event_key(e): e for e in self.by_kind.get("Event", {}).values()}
        seen = self._events.get((md.get("uid"), reason, message, source))
        if seen is not None:
            seen["count"] += 1
            seen["lastTimestamp"] = self.stamp()
            self.update(seen)
            return
        involved = {"apiVersion": obj.get("apiVersion", "v1"), "kind": obj["kind"], "name": md["name"],
                    "namespace": ns if registry.namespaced(obj["kind"]) else "",
                    "resourceVersion": md.get("resourceVersion", ""), "uid": md.get("uid", "")}
        if obj["kind"] == "Node":
            involved["namespace"] = ""
        if field_path:
            involved["fieldPath"] = field_path
        source_obj = {"component": source}
        if host:
            source_obj["host"] = host
        ev = {"apiVersion": "v1", "kind": "Event",
              "metadata": {"name": f"{md['name']}.{self.rng.hex(16)}", "namespace": ns},
              "involvedObject": involved, "reason": reason, "message": message, "source": source_obj,
              "firstTimestamp": self.stamp(), "lastTimestamp": self.stamp(), "count": 1, "type": type_,
              "reportingComponent": "", "reportingInstance": ""}
        self.create(ev)
        self._events[_event_key(ev)] = ev

    def expire_events(self) -> None:
        from engine.timefmt import parse_rfc3339
        if self.now < self.meta.get("events_checked", 0) + 60:      # a sweep a minute is plenty
            return
        self.meta["events_checked"] = self.now
        for ev in self.iter("Event"):
            if self.now - parse_rfc3339(ev["lastTimestamp"]) > EVENT_TTL:
                self.remove(ev)

    def events_for(self, obj: Obj) -> list[Obj]:
        uid = obj["metadata"].get("uid")
        from engine.timefmt import parse_rfc3339
        evs = [e for e in self.by_kind.get("Event", {}).values() if e["involvedObject"].get("uid") == uid]
        return sorted(evs, key=lambda e: (parse_rfc3339(e["lastTimestamp"]), int(e["metadata"]["resourceVersion"])))


def _event_key(ev: Obj) -> tuple:
    return (ev["involvedObject"].get("uid"), ev["reason"], ev["message"], ev["source"].get("component"))


def owner_ref(owner: Obj, *, controller: bool = True) -> dict:
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": owner["metadata"]["name"],
            "uid": owner["metadata"]["uid"], "controller": controller, "blockOwnerDeletion": True}


def controller_of(obj: Obj) -> dict | None:
    for ref in obj["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def labels_match(selector: dict[str, str] | None, labels: dict[str, str] | None) -> bool:
    if not selector:
        return False
    labels = labels or {}
    return all(labels.get(k) == v for k, v in selector.items())
