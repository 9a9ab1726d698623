# Tiller's backend as deployed: the production entry (src/backend/main.ts, no sandbox code),
# bundled by `npm run build`, run on plain Node as a non-root user. docs/operations.md.
#   docker build -t tiller .
#   docker run --env-file tiller.env -p 3000:3000 tiller

# 1. build: every dependency, then the bundle (dist/backend/main.mjs + migrations)
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY sandbox/package.json sandbox/
COPY src/extensions/package.json src/extensions/
COPY src/app/cards/package.json src/app/cards/
COPY src/app/pages/package.json src/app/pages/
COPY src/app/settings/package.json src/app/settings/
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build

# 2. production dependencies only (the bundle keeps packages external)
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/sandbox/package.json sandbox/
COPY --from=build /app/src/extensions/package.json src/extensions/
COPY --from=build /app/src/app/cards/package.json src/app/cards/
COPY --from=build /app/src/app/pages/package.json src/app/pages/
COPY --from=build /app/src/app/settings/package.json src/app/settings/
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force

# 3. runtime: Node, the bundle, production node_modules; nothing else
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/dist/backend dist/backend
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# the flags of `npm run serve` (sized for a 1.5 GB instance)
CMD ["node", "--max-old-space-size=1024", "dist/backend/main.mjs"]
