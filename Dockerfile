# One image for both processes: `node dist/apps/api/src/main.js` (default) or
# `node dist/apps/worker/src/main.js` (set `command:` in compose); the MCP server is in it too
# (`node dist/apps/mcp/src/main.js`).
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
COPY apps ./apps
COPY libs ./libs
COPY packages ./packages
COPY types ./types
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
# ffmpeg and espeak-ng for the worker; fonts so slides render the same everywhere.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ffmpeg espeak-ng fontconfig fonts-dejavu-core fonts-noto-core fonts-noto-cjk tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production STORAGE_DIR=/data/storage PORT=8000
WORKDIR /app
COPY --from=build /app/package.json ./
# The npm scripts (npm run start:worker, …) go through it; with this image's Node it only runs the command.
COPY --from=build /app/scripts/node-env.sh ./scripts/
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data/storage && chown -R node:node /data
USER node
EXPOSE 8000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/api/src/main.js"]
