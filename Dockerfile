# bronze runner image: `bronze serve` with /health and /metrics on port 8000.
#   docker-compose up -d        (see docker-compose.yml and apps/runner/README.md)

# --- build: install the workspace, build the runner and the packages it uses, then
# `pnpm deploy` a self-contained copy with production dependencies only.
FROM node:20-bookworm-slim AS build
ENV CI=true
RUN npm install --global pnpm@12.4.2
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile
RUN pnpm turbo run build --filter=@bronze/runner...
RUN pnpm --filter=@bronze/runner deploy --prod /out

# --- runtime: plain Node (every dependency is JavaScript or WASM), non-root.
FROM node:20-alpine
ENV NODE_ENV=production \
    BRONZE_HOME=/app
WORKDIR /app
COPY --from=build --chown=node:node /out /app
COPY --from=build --chown=node:node /src/configs/validation_schemas /app/configs/validation_schemas
# data/: the embedded database when no PostgreSQL is configured, and files to import.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# --max-semi-space-size=4: as `pnpm bronze` starts it (package.json; apps/runner/README.md, memory).
# Exec form: node is PID 1 and receives SIGTERM itself, so `docker stop` lets the batch in
# flight commit (give it time: stop_grace_period in docker-compose.yml).
ENTRYPOINT ["node", "--max-semi-space-size=4", "/app/dist/cli.js"]
CMD ["serve", "--host", "0.0.0.0"]
