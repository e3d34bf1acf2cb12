import { Router } from 'express';
import type { ReadersDoorDeps } from './readers-deps.js';

// Placeholder while issue 14 is built: replaced by the helper who owns this file.
export function createReaderAccountRoutes(_deps: ReadersDoorDeps): Router {
  return Router();
}
