import { createLogger } from '../logger.js';
import { startDemoHostServer } from '../http/demo/demo-host-page.js';
import { allowDemoOrigins, demoHostPort, demoHostUrl, ensureDemoSsoSecret } from '../demo-site.js';
import { createPool } from '../store/db.js';
import { exitOnStartupProblem } from './startup.js';

// Entry file of the demo "customer" page on its own, for Docker (the `demo-host` service), where
// `npm start` (which serves it itself) does not run:
//   node dist/src/bin/demo-host.js [PORT]      default: the API's PORT + 1
// The published port cannot be computed from PORT in docker-compose.yml, so it is named there and
// passed here; the demo site then gains this page's origin, whatever port that is.
const config = await exitOnStartupProblem('demo-host');
const logger = createLogger(config.LOG_LEVEL, 'demo-host');
const arg = process.argv[2];
const port = arg === undefined ? demoHostPort(config.PORT) : Number(arg);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write(`reply-desk demo-host: the port must be a number from 1 to 65535, not ${JSON.stringify(arg)}\n`);
  process.exit(1);
}
const origin = demoHostUrl(config.PUBLIC_URL, config.PORT, port);
const pool = createPool(config.DATABASE_URL, 1);
const added = await allowDemoOrigins(pool, [origin]);
const ssoSecret = await ensureDemoSsoSecret(pool);
await pool.end();
if (added.length > 0) logger.info({ origins: added }, 'the demo site now allows this page');

const server = await startDemoHostServer({ port, host: config.HOST, apiUrl: config.PUBLIC_URL, ssoSecret });
process.stdout.write(`Reply Desk demo host page: open ${origin}/ (the widget from ${config.PUBLIC_URL})\n`);

function stop(): void {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
