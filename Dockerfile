# syntax=docker/dockerfile:1
# One multi-stage image recipe for all four services: they differ only in which workspace is
# built and which port they listen on. Build from the repository root (a service needs the
# shared packages beside it):
#
#   docker build --build-arg SERVICE=user-service --build-arg PORT=3001 -t shop/user-service .
#   (or: docker compose --profile apps build)
#
# SERVICE: user-service | product-service | order-service | notification-service
ARG SERVICE
ARG PORT=3000
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- manifests: only package.json files and the lock, so the npm ci layers below are reused
# for as long as no dependency changes (whatever source changed). Fails early and clearly when
# SERVICE is missing or unknown.
FROM ${NODE_IMAGE} AS manifests
ARG SERVICE
RUN case "${SERVICE}" in user-service|product-service|order-service|notification-service) ;; \
      *) echo "build with --build-arg SERVICE=<user|product|order|notification>-service (got '${SERVICE}')" >&2; exit 1 ;; esac
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -depth -type d -empty -delete

# ---- build: every dependency of this workspace (dev ones too), then tsc -b
FROM ${NODE_IMAGE} AS build
ARG SERVICE
WORKDIR /app
COPY --from=manifests /app ./
RUN npm ci --workspace "services/${SERVICE}" --include-workspace-root --no-audit --no-fund --loglevel=error
COPY tsconfig.base.json tsconfig.build.json ./
COPY packages ./packages
COPY services/${SERVICE} ./services/${SERVICE}
# Then keep only what runs in /out: each built workspace's package.json and dist/ (no sources,
# no build info).
RUN npx --no-install tsc -b "services/${SERVICE}" \
 && mkdir /out \
 && for dir in packages/* "services/${SERVICE}"; do \
      if [ -d "$dir/dist" ]; then mkdir -p "/out/$dir" && cp -R "$dir/package.json" "$dir/dist" "/out/$dir/"; fi; \
    done \
 && find /out -name '*.tsbuildinfo' -delete

# ---- production dependencies only (no TypeScript, jest, type packages ...)
FROM ${NODE_IMAGE} AS prod-deps
ARG SERVICE
WORKDIR /app
COPY --from=manifests /app ./
RUN npm ci --workspace "services/${SERVICE}" --omit=dev --no-audit --no-fund --loglevel=error \
 && npm cache clean --force

# ---- runtime
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ARG PORT
ENV NODE_ENV=production \
    PORT=${PORT}
WORKDIR /app
# Owned by root and read-only to the process: the service cannot change its own code.
COPY --from=prod-deps /app ./
COPY --from=build /out ./
WORKDIR /app/services/${SERVICE}
USER node
EXPOSE ${PORT}
# Liveness only (/health): readiness, which includes the databases, is the orchestrator's business.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop, Kubernetes) starts the service's graceful shutdown.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
