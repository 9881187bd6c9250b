"""The image catalogue (content/images.yaml): what the lab's nodes can pull, how long it takes."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from engine import fastyaml

_PATH = Path(__file__).resolve().parent.parent / "content" / "images.yaml"
_DOCKER_HUB = ("docker.io/library/", "docker.io/", "index.docker.io/library/")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict]:
    with open(_PATH, encoding="utf-8") as fh:
        return fastyaml.load(fh)


def split(image: str) -> tuple[str, str]:
    """`nginx` -> ("nginx", "latest"); `docker.io/library/nginx:1.19` -> ("nginx", "1.19")."""
    for prefix in _DOCKER_HUB:
        if image.startswith(prefix):
            image = image[len(prefix):]
            break
    last = image.rsplit("/", 1)[-1]
    if ":" in last:
        repo, tag = image.rsplit(":", 1)
    else:
        repo, tag = image, "latest"
    return repo, tag


def normalise(image: str) -> str:
    repo, tag = split(image)
    return f"{repo}:{tag}"


def entry(image: str) -> dict | None:
    repo, _ = split(image)
    return catalogue().get(repo)


def exists(image: str) -> bool:
    e = entry(image)
    if e is None:
        return image.startswith(("k8s.gcr.io/", "calico/", "docker.io/calico/"))   # the cluster's own images
    return split(image)[1] in [str(t) for t in e["tags"]]


def pull_seconds(cluster, image: str, cached: bool) -> float:
    e = entry(image) or {"size_mb": 20}
    if cached:
        return cluster.rng.uniform(1.2, 2.9)          # Always-policy re-check against the registry
    return 1.5 + e["size_mb"] / 40.0 + cluster.rng.uniform(0, 1.0)


def stop_seconds(pod: dict) -> float:
    worst = 1.0
    grace = pod["spec"].get("terminationGracePeriodSeconds", 30)
    for c in pod["spec"]["containers"]:
        e = entry(c["image"]) or {"stop_seconds": 1}
        worst = max(worst, min(float(e.get("stop_seconds", 1)), float(grace)))
    return worst


def serves(image: str) -> str:
    e = entry(image)
    return e.get("serves", "none") if e else "none"


def image_id(image: str) -> str:
    repo, _ = split(image)
    digest = hashlib.sha256(normalise(image).encode()).hexdigest()
    return f"docker-pullable://{repo}@sha256:{digest}"
