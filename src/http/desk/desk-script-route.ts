import { Router } from 'express';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { projectRoot } from '../../paths.js';

/** Where scripts/build-widget.mjs puts the dashboard's script (`npm run build`). */
export const DEFAULT_DESK_DIR = join(projectRoot, 'dist', 'desk');

/**
 * GET /assets/admin.js: the moderators' desk script, bundled from widget/desk/ (admin-layout.ts loads
 * it on every dashboard page), cached for an hour like the rest of /assets. Left unbuilt (a checkout
 * run without `npm run build`), it answers a one-line warning script and the log says why once; the
 * dashboard then works as it does with JavaScript off.
 */
export function createDeskScriptRoute(deps: { logger: Logger; deskDir?: string }): Router {
  const deskDir = deps.deskDir ?? DEFAULT_DESK_DIR;
  const router = Router();
  let warned = false;
  router.get('/assets/admin.js', (_req, res, next) => {
    res.sendFile('admin.js', { root: deskDir, maxAge: '1h' }, (err?: NodeJS.ErrnoException) => {
      if (!err || res.headersSent) return; // sent, or the browser went away mid-file
      if (err.code !== 'ENOENT') return next(err);
      if (!warned) deps.logger.warn({ deskDir }, 'the dashboard script is not built: run npm run build');
      warned = true;
      res
        .set('Cache-Control', 'no-store')
        .type('text/javascript')
        .send('console.warn("Reply Desk: the dashboard script is not built on this server (npm run build).");\n');
    });
  });
  return router;
}
