/**
 * Entry point: `ROLE=all|web|worker`. Exits non-zero with a clear message when the
 * configuration is invalid or MongoDB/Redis is down; shuts down gracefully on SIGTERM/SIGINT.
 */
import { loadConfig, ConfigError } from "./config.js";
import { createLogger } from "./logger.js";
import { createApp, StartupError } from "./container.js";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  let app;
  try {
    app = await createApp(config, logger);
  } catch (err) {
    if (err instanceof StartupError) {
      logger.fatal({}, err.message);
      console.error(`Cannot start: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
  if (app.url && config.playground) console.log(`Playground: ${app.url}/playground`);
  if (app.demo) console.log(`Demo school: ${app.demo.schoolName} — invite codes: npm run cli -- demo seed --json`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await app.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

void main();
