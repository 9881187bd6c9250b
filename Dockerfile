# kubetutor's Discord bot. Build: docker build -t kubetutor .
# Run:   docker run -d --name kubetutor -e DISCORD_TOKEN=... -v kubetutor-data:/data kubetutor
#
# The base image is pinned by digest: a tag moves with every Debian or Python patch release, a
# digest is exactly the image this file was written against. To take a newer patch release,
# resolve the tag again and replace the digest (keep the tag in front of it for readers):
#     docker buildx imagetools inspect python:3.11-slim --format '{{json .Manifest.Digest}}'
FROM python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    KUBETUTOR_DB=/data/kubetutor.db \
    KUBETUTOR_HEALTH_PORT=8080 \
    KUBETUTOR_HEALTH_HOST=0.0.0.0

# A fixed uid so a bind-mounted /data can be chowned to match on the host.
RUN groupadd --system --gid 10001 kubetutor \
    && useradd --system --uid 10001 --gid kubetutor --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin kubetutor \
    && mkdir -p /data \
    && chown kubetutor:kubetutor /data

WORKDIR /app
# The dependencies first, exactly as locked (versions and hashes; scripts/lock.sh), so a change
# to the code does not reinstall them; then the project itself without dependencies.
COPY requirements/run.lock requirements/run.lock
RUN pip install --no-cache-dir --require-hashes -r requirements/run.lock
COPY pyproject.toml README.md ./
COPY engine/ engine/
COPY bot/ bot/
COPY content/ content/
RUN pip install --no-cache-dir --no-deps . \
    && rm -rf /app/build /app/*.egg-info

USER 10001:10001
VOLUME ["/data"]
EXPOSE 8080
# /healthz answers 200 while the database answers and the Discord gateway is connected (bot/ops.py).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status != 200)"]
CMD ["kubetutor", "bot"]
