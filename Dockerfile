# syntax=docker/dockerfile:1
# One multi-stage image recipe for all four services: they differ only in which workspace is
# built and which port they listen on. Build from the repository root (a service needs the
# shared packages beside it):
#
#   docker build --build-arg SERVICE=user-service --build-arg PORT=3001 -t shop/user-service .
#   (or: docker compose --profile apps build; npm run test:images builds and runs all four)
#
# Behind a TLS-intercepting proxy add --secret id=ca,src=/etc/ssl/certs/ca-certificates.crt (npm
# ci trusts that bundle; it is in no layer). NODE_IMAGE: another base with Node 24 and a user
# `node` (uid 1000), e.g. one built locally where no registry answers (scripts/test-images.sh).
#
# SERVICE: user-service | product-service | order-service | notification-service
ARG SERVICE
ARG PORT=3000
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- manifests: only package.json files and the lock, so the npm ci layers below are reused
# for as long as no dependency changes (whatever source changed).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -depth -type d -empty -delete

# ---- build: every workspace with every dependency (dev ones too), then tsc -b of them all. Nothing
# here depends on SERVICE, so the four images share these layers: built once, not four times.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /app ./
# Behind a TLS-intercepting proxy, its CA bundle comes in as a build secret for the npm ci steps
# only (never a layer of the image):  --secret id=ca,src=/etc/ssl/certs/ca-certificates.crt
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi \
 && npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.base.json tsconfig.build.json ./
COPY packages ./packages
COPY services ./services
RUN npx --no-install tsc -b tsconfig.build.json

# ---- the service's own files: in /out, the service and each @shop package it depends on (its
# dependencies, theirs, ...), each with its package.json and what its "files" field publishes
# (dist/ by default; @shop/telemetry also has register.js, the entry point of
# `import '@shop/telemetry/register'`), without sources or build info. Fails early and clearly
# when SERVICE is missing or unknown.
FROM build AS service-files
ARG SERVICE
RUN case "${SERVICE}" in user-service|product-service|order-service|notification-service) ;; \
      *) echo "build with --build-arg SERVICE=<user|product|order|notification>-service (got '${SERVICE}')" >&2; exit 1 ;; esac \
 && node -e ' \
      const { cpSync, existsSync, mkdirSync, readdirSync } = require("node:fs"); \
      const dirOf = new Map(readdirSync("packages").map((d) => [require(`./packages/${d}/package.json`).name, `packages/${d}`])); \
      const dirs = new Set(); \
      const visit = (dir) => { \
        if (dirs.has(dir)) return; \
        dirs.add(dir); \
        for (const dep of Object.keys(require(`./${dir}/package.json`).dependencies ?? {})) if (dirOf.has(dep)) visit(dirOf.get(dep)); \
      }; \
      visit(`services/${process.env.SERVICE}`); \
      for (const dir of dirs) { \
        mkdirSync(`/out/${dir}`, { recursive: true }); \
        cpSync(`${dir}/package.json`, `/out/${dir}/package.json`); \
        for (const f of require(`./${dir}/package.json`).files ?? ["dist"]) { \
          if (!existsSync(`${dir}/${f}`)) throw new Error(`${dir}/package.json lists ${f} in files, but it is not there`); \
          cpSync(`${dir}/${f}`, `/out/${dir}/${f}`, { recursive: true, filter: (src) => !src.endsWith(".tsbuildinfo") }); \
        } \
      } \
      console.log(`/out: ${[...dirs].join(", ")}`);'

# ---- production dependencies only (no TypeScript, jest, type packages ...)
FROM ${NODE_IMAGE} AS prod-deps
ARG SERVICE
WORKDIR /app
COPY --from=manifests /app ./
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi \
 && npm ci --workspace "services/${SERVICE}" --omit=dev --no-audit --no-fund --loglevel=error \
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
COPY --from=service-files /out ./
WORKDIR /app/services/${SERVICE}
USER node
EXPOSE ${PORT}
# Liveness only (/health): readiness, which includes the databases, is the orchestrator's business.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop, Kubernetes) starts the service's graceful shutdown.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
