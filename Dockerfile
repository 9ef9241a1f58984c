# syntax=docker/dockerfile:1
# Identity Gateway: compiled once in a build stage, run as `node dist/main.js`
# (with the memory settings of scripts/node-flags.ts) by the non-root `node`
# user with production-only dependencies. test/process/artefact.test.ts runs
# the runtime stage's steps (COPY, npm ci, ENV, CMD, HEALTHCHECK) on this
# machine so they cannot rot.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.ts ./scripts/
COPY src ./src
RUN npm run build

FROM node:22-bookworm-slim AS runtime
# Listens on every interface inside the container; this needs authentication
# (GATEWAY_ADMIN_TOKEN or AUTH_JWT_*) and GATEWAY_SECRET_KEY, as production does.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 PGLITE_DIR=/data/pglite MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY drizzle ./drizzle
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 and handles SIGTERM: /readyz fails, then the server closes.
CMD ["node", "--max-semi-space-size=32", "--heap-growing-percent=100", "dist/main.js"]
