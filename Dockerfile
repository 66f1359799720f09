# uld serve in a container on Node 24 LTS (Node 20 reached end of life on 2026-04-30). Two stages: the build needs a compiler (better-sqlite3 builds from source) and
# the dev dependencies (TypeScript); the runtime image has neither.
FROM node:24-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts first: `prepare` builds the TypeScript, which is not copied yet. Native modules are
# rebuilt right after, once the sources are in.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY webhooks ./webhooks
COPY jobs ./jobs
COPY bench ./bench
COPY lead-definition.example.yaml ./
RUN npm rebuild better-sqlite3 && npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=sqlite:/app/data/uld.db \
    LEAD_DEFINITION=/app/config/lead-definition.yaml
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/lead-definition.example.yaml ./
# SQLite lives on a volume; with Postgres (DATABASE_URL=postgres://...) the volume is not needed.
RUN mkdir -p /app/data /app/config && chown -R node:node /app/data /app/config
USER node
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM (docker stop) drains gracefully: in-flight requests finish, leases are released.
ENTRYPOINT ["node", "bin/uld"]
CMD ["serve"]
