#!/usr/bin/env bash
# Re-pin every dependency (with hashes) after pyproject.toml changes:  bash scripts/lock.sh
# pip-tools reads pyproject.toml; `make run`/`make test` and the Dockerfile install from these files.
set -euo pipefail
cd "$(dirname "$0")/.."
# KUBETUTOR_LOCK_TOOLS: a venv with pip-tools to reuse (kept); otherwise a throwaway one.
if [[ -n "${KUBETUTOR_LOCK_TOOLS:-}" ]]; then
    tools=$KUBETUTOR_LOCK_TOOLS
else
    tools=$(mktemp -d)
    trap 'rm -rf "$tools"' EXIT
fi
[[ -x "$tools/bin/pip-compile" ]] || { python3 -m venv "$tools" && "$tools/bin/pip" install --quiet pip-tools; }
opts=(--quiet --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links
      --resolver=backtracking)
"$tools/bin/pip-compile" "${opts[@]}" --extra postgres -o requirements/run.lock pyproject.toml
"$tools/bin/pip-compile" "${opts[@]}" --extra postgres --extra test -o requirements/test.lock pyproject.toml
