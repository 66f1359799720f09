# uld serve in a container on Node 24 LTS (Node 20 reached end of life on 2026-04-30). Two stages: the build
# needs the dev dependencies (TypeScript); the runtime image does not. On Node 24 the store loads better-sqlite3
# 13 (`better-sqlite3-napi`, prebuilt binaries in the package; src/store/sqlite-binding.ts), so nothing is
# compiled: better-sqlite3 12, which Node 20 needs, is installed without its build script and never loaded.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds the TypeScript, which is not copied yet (built below).
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY webhooks ./webhooks
COPY jobs ./jobs
COPY bench ./bench
COPY lead-definition.example.yaml ./
# The qualification card's sources: `uld init` copies them into the HubSpot project it writes (not compiled here).
COPY card/package.json card/tsconfig.json ./card/
COPY card/src ./card/src
RUN npm run build && npm prune --omit=dev

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
COPY --from=build /app/card ./card
# SQLite lives on a volume; with Postgres (DATABASE_URL=postgres://...) the volume is not needed.
RUN mkdir -p /app/data /app/config && chown -R node:node /app/data /app/config
USER node
VOLUME ["/app/data"]
EXPOSE 3000
# The health check asks where the server listens: HOST when it names one address, loopback when it listens on all.
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "const h=(process.env.HOST||'').trim(),a=['','0.0.0.0','::'].includes(h)?'127.0.0.1':h;fetch('http://'+(a.includes(':')?'['+a+']':a)+':'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM (docker stop) drains gracefully: in-flight requests finish, leases are released.
ENTRYPOINT ["node", "bin/uld"]
CMD ["serve"]
