# Reply Desk: one image for the API (default command), the workers and the CLI.
#   docker build -t reply-desk .
#   docker run --rm -p 3000:3000 -e DATABASE_URL=… -e REDIS_URL=… reply-desk            # API
#   docker run --rm -e DATABASE_URL=… -e REDIS_URL=… reply-desk node dist/workers/main.js # worker
#   docker run --rm -e DATABASE_URL=… reply-desk node dist/src/bin/cli.js migrate        # migrations
#   docker run --rm -p 3001:3001 -e DATABASE_URL=… -e REDIS_URL=… reply-desk node dist/src/bin/demo-host.js 3001
#                                                          # the cross-origin demo page
# docker-compose.yml runs all of them together with Postgres and Redis.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every dependency (TypeScript included), then tsc into dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
# Manifests first, so editing the source does not invalidate the dependency layer.
# msgpackr-extract (an optional native dependency of bullmq's msgpackr) installs a prebuilt binary from
# its per-platform optional package; should that ever fail, npm skips the optional package and msgpackr
# uses its JavaScript fallback, so no compiler is needed in this image.
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
COPY workers ./workers
COPY widget ./widget
COPY scripts/build.mjs scripts/build-widget.mjs ./scripts/
RUN npm run build

# ---- deps: production dependencies only (built in parallel with the stage above) ----
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# The app finds its root by walking up to package.json and reads sql/ and public/ from there at run
# time. Everything stays owned by root and read-only to the `node` user the processes run as.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY bin ./bin
COPY sql ./sql
COPY public ./public
COPY --from=build /app/dist ./dist
USER node
# The API's default PORT; the demo-host service publishes its own (docker-compose.yml).
EXPOSE 3000
# /healthz answers as soon as the API listens. Slim images have no curl, so Node's fetch does the check.
# (The worker and migrate containers have no HTTP server: docker-compose.yml disables this for them.)
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is the process that receives SIGTERM and shuts down gracefully.
CMD ["node", "dist/src/bin/api.js"]
