# syntax=docker/dockerfile:1.7
# One image for every Netral process; the container's command picks the service:
#   docker run netral ingest | classify | alert | topics
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: resolve and build every wheel against the pinned constraints ---------------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# A compiler only for dependencies without a wheel for this platform; it never reaches runtime.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY constraints.txt pyproject.toml README.md ./
COPY shared ./shared
COPY services ./services
RUN pip wheel --wheel-dir /wheels --constraint constraints.txt .

# --- runtime: the wheels only, no compiler, no source tree ------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    NETRAL_LOG_FORMAT=json \
    NETRAL_INGEST_HOST=0.0.0.0 \
    NETRAL_CLASSIFY_HOST=0.0.0.0 \
    NETRAL_ALERT_HOST=0.0.0.0 \
    NETRAL_REF_REGISTRY=/app/deploy/config/registry.sample.yaml \
    NETRAL_REF_WATCHLIST=/app/deploy/config/watchlist.yaml \
    NETRAL_REF_ROUTING=/app/deploy/config/routing.yaml

RUN groupadd --system --gid 10001 netral \
    && useradd --system --uid 10001 --gid netral --no-create-home \
       --home-dir /var/lib/netral --shell /usr/sbin/nologin netral \
    && install --directory --owner netral --group netral /var/lib/netral

# The wheels are bind-mounted, not copied, so they add nothing to the image's layers.
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    --mount=type=bind,source=constraints.txt,target=/tmp/constraints.txt \
    pip install --no-index --find-links /wheels --constraint /tmp/constraints.txt netral

# Reference data ships read-only (root-owned); deployments mount their own over /app/deploy/config.
COPY deploy/config /app/deploy/config

# Settings resolve the reference files from the source tree, which an installed wheel lacks,
# hence the NETRAL_REF_* paths above. The working directory is the one place the user may write.
WORKDIR /var/lib/netral
USER 10001:10001

EXPOSE 8080 8081 8082
ENTRYPOINT ["netral"]
CMD ["ingest"]
