# Yixian server image: the TypeScript sources run under tsx, as with `npm start`.
FROM node:20-bookworm-slim

WORKDIR /app

# sox converts the tenant's uploaded phone prompts and music (WAV or MP3) into 8 kHz WAV;
# espeak-ng speaks navigation rules' messages to callers
RUN apt-get update \
    && apt-get install -y --no-install-recommends sox libsox-fmt-mp3 espeak-ng \
    && rm -rf /var/lib/apt/lists/*

# Manifests first, so that a change to the sources does not reinstall dependencies.
COPY package.json package-lock.json .npmrc ./
COPY contracts/package.json contracts/
COPY server/package.json server/
COPY telephony/package.json telephony/
COPY channels/package.json channels/
COPY agent-console/package.json agent-console/
COPY widgets/package.json widgets/
COPY tests/package.json tests/
# All dependencies: the server runs its TypeScript through tsx at start-up.
RUN npm ci --no-fund --no-audit && npm cache clean --force

COPY . .
# The browser pages (wallboard) are built into the image; the server serves them.
RUN npm run build

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000

HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# The pages are already built above, so start the server directly.
CMD ["node", "--import", "tsx", "server/src/main.ts"]
