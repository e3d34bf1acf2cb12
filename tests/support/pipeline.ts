import { createTestDatabase, type TestDatabase } from './test-db.js';
import { deleteQueueKeys, newQueuePrefix, startApi, startWorker, type TestApi } from './harness.js';

/** A test file's whole service: its own database and queue prefix, the API on port 0, and a worker. */
export interface TestPipeline {
  db: TestDatabase;
  api: TestApi;
  worker: { close(): Promise<void> };
  prefix: string;
  /** Stops the worker and the API, drops the database and removes the queue keys. */
  close(): Promise<void>;
}

export async function startPipeline(): Promise<TestPipeline> {
  const prefix = newQueuePrefix();
  const db = await createTestDatabase();
  const api = await startApi({ pool: db.pool, prefix });
  const worker = await startWorker({ pool: db.pool, prefix });
  return {
    db,
    api,
    worker,
    prefix,
    async close() {
      await worker.close();
      await api.close();
      await db.drop();
      await deleteQueueKeys(prefix);
    },
  };
}
