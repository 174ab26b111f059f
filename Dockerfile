# syntax=docker/dockerfile:1
# Build stage: full dependencies; tsc to dist/app/, esbuild bundle dist/app.cjs, its loader
# dist/main.js and V8 code cache dist/app.cache (scripts/bundle.mjs: the cache is written by
# this image's Node, the same as the runtime stage's, so V8 accepts it).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY packages/client/package.json ./packages/client/
RUN npm ci
COPY tsconfig.json nest-cli.json ./
COPY packages/client ./packages/client
COPY scripts/bundle.mjs ./scripts/
COPY src ./src
COPY console ./console
RUN npm run build

# Runtime stage: the bundle, and production dependencies for the few packages it leaves outside
# (swagger-ui-dist serves its own files), run as the unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production LOG_DIR=/data/logs SPOOL_DIR=/data/spool
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY packages/client/package.json ./packages/client/
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist/main.js /app/dist/main.js.map /app/dist/app.cjs /app/dist/app.cjs.map /app/dist/app.cache ./dist/
COPY --from=build /app/dist/console-web ./dist/console-web
RUN mkdir -p /data/logs /data/spool && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Kubernetes probes (no HEALTHCHECK here: the orchestrator probes over HTTP):
#   livenessProbe:  GET /health/live   (200 while the process can serve)
#   readinessProbe: GET /health/ready  (503 while storage/spool/Redis is down or while draining)
# SIGTERM drains: readiness 503, frames received are stored and acked, clients closed with 1012,
# exit 0 within SHUTDOWN_TIMEOUT_MS; give terminationGracePeriodSeconds at least that long.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
