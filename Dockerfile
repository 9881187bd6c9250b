# kubetutor's Discord bot. Build: docker build -t kubetutor .
# Run:   docker run -d --name kubetutor -e DISCORD_TOKEN=... -v kubetutor-data:/data kubetutor
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    KUBETUTOR_DB=/data/kubetutor.db

# A fixed uid so a bind-mounted /data can be chowned to match on the host.
RUN groupadd --system --gid 10001 kubetutor \
    && useradd --system --uid 10001 --gid kubetutor --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin kubetutor \
    && mkdir -p /data \
    && chown kubetutor:kubetutor /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY engine/ engine/
COPY bot/ bot/
COPY content/ content/
RUN pip install --no-cache-dir . \
    && rm -rf /app/build /app/*.egg-info

USER 10001:10001
VOLUME ["/data"]
CMD ["kubetutor", "bot"]
