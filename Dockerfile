# syntax=docker/dockerfile:1
# One image for the api, the worker, the Daraja simulator and the migrations step; the command
# chooses which (docs/deploy.md). Built and checked statically by test/deploy/dockerfile.spec.ts.
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: every dependency, then tsc and the console's Vite build ---
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY . .
# tsconfig.image.json leaves out what needs bench/ (the docs screenshots), which is not copied in.
RUN npx tsc -p tsconfig.image.json && npm run build:console

# --- production dependencies only, installed apart so no dev tool reaches the runtime stage ---
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force

# --- runtime: production dependencies, the compiled output and what it reads at run time ---
FROM ${NODE_IMAGE} AS runtime
# tini (Debian's) is PID 1: it forwards SIGTERM to node and reaps zombies, so a stop is graceful.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production HOST=0.0.0.0 MIGRATE_ON_START=false
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# register-paths.js reads tsconfig.json for the @malipo/* aliases; migrations are read as SQL.
COPY --chown=root:root package.json tsconfig.json ./
COPY --chown=root:root scripts/register-paths.js scripts/healthcheck.js ./scripts/
COPY --chown=root:root libs/db/migrations ./libs/db/migrations
# The files belong to root and the process runs as the image's unprivileged `node` user, so a
# compromised process cannot rewrite the code it runs.
USER node
EXPOSE 3000 3100 3200 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "scripts/healthcheck.js"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# node itself, in exec form: npm or sh would not pass SIGTERM on and the graceful stop would
# never run. Override the last argument for the worker, the simulator or the migrations.
CMD ["node", "-r", "./scripts/register-paths.js", "dist/apps/api/src/main.js"]
