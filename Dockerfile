# One image for both processes; the command picks:
#   api (default)  node dist/apps/api/src/main.js     (applies pending migrations at start)
#   worker         node dist/apps/worker/src/main.js  (compose: `command:`; Kubernetes: `args:`,
#                  so tini stays the entrypoint)
#   MCP server     node dist/apps/mcp/src/main.js     (see README "MCP server")
# Checked without a Docker engine by test/dockerfile.spec.ts (stages, user, packages,
# healthcheck) and by `docker compose config` (test/docker-compose.spec.ts).

# --- build: every dependency, then `npm run build` into dist/ ----------------------
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# npm ci, as scripts/setup-node.sh: exactly the lockfile, which holds every platform's
# binaries (an arm64 host gets its own @napi-rs/canvas build).
RUN npm ci --no-audit --no-fund
# openapi.json, packages/ and types/: the MCP server compiles the contract in, and it and the demo
# client import @blinked/sdk (npm run build also builds the SDK package on its own).
COPY tsconfig.json tsconfig.build.json nest-cli.json openapi.json ./
COPY scripts ./scripts
COPY types ./types
COPY apps ./apps
COPY libs ./libs
COPY packages ./packages
RUN npm run build

# --- deps: production dependencies only ---------------------------------------------
# A stage of its own, from the lockfile alone: a source change does not reinstall them,
# and no compiler, test tool or type package reaches the image.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime -----------------------------------------------------------------------
FROM node:22-bookworm-slim AS runtime
# ffmpeg for the stitch; the offline voices: Festival with its HTS voice (English, the
# default narrator) and espeak-ng with its data (every other language); the fonts the slide
# renderer registers by path (libs/media/src/fonts.ts), so slides render as in the tests;
# tini as PID 1, to pass SIGTERM on (workers finish or hand back their jobs) and reap
# ffmpeg's children. No chromium: it is for the playback tests only.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ffmpeg festival festvox-us-slt-hts espeak-ng espeak-ng-data fontconfig fonts-dejavu-core fonts-noto-core fonts-noto-cjk tini \
 && rm -rf /var/lib/apt/lists/*
# PORT is the api's, WORKER_HTTP_PORT the worker's (/health, /health/ready, /metrics);
# the HEALTHCHECK reads the one of the process it finds running.
ENV NODE_ENV=production STORAGE_DIR=/data/storage PORT=8000 WORKER_HTTP_PORT=9464
WORKDIR /app
# package.json says "type": "module": dist/ is ESM and does not load without it.
COPY --from=build /app/package.json ./
# The npm scripts (npm run start:worker, npm run admin, …) go through it; with this image's Node it only runs the command.
COPY --from=build /app/scripts/node-env.sh ./scripts/
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data/storage && chown -R node:node /data
# The official image's unprivileged user (uid 1000); Kubernetes manifests run as it too.
USER node
EXPOSE 8000 9464
# Liveness of whichever process runs (scripts/healthcheck.ts). A generous start period:
# the api applies pending migrations before it listens.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "dist/scripts/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/api/src/main.js"]
