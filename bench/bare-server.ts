import { once } from 'node:events';
import express from 'express';
import { createSubmissionsQueue } from '../src/queue/submissions-queue.js';
import { createProducerRedis } from '../src/redis.js';

// The baselines: a bare Express app that parses the same JSON (same 512 KB limit) and answers 202
// ("bare"); the same plus one plain queue.add per request ("queue", for context); and a bare GET
// answering a fixed JSON document about the size of a thread page ("get").
const mode = process.argv[2] ?? 'bare';
const port = Number(process.env.PORT);
const app = express();
app.disable('x-powered-by');

if (mode === 'queue') {
  const redis = createProducerRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const queue = createSubmissionsQueue(redis, process.env.QUEUE_PREFIX ?? 'bench-bare');
  app.post('/api/comments', express.json({ limit: '512kb' }), async (req, res) => {
    await queue.add('submit', req.body);
    res.status(202).json({ id: 'x', status: 'queued' });
  });
} else {
  app.post('/api/comments', express.json({ limit: '512kb' }), (req, res) => {
    res.status(202).json({ id: typeof req.body === 'object' ? 'x' : 'y', status: 'queued' });
  });
}
const doc = JSON.stringify({
  comments: Array.from({ length: 50 }, (_, i) => ({
    id: '01936f6e-0000-7000-8000-' + String(i).padStart(12, '0'),
    parent: null,
    depth: 0,
    author: `Reader ${i}`,
    website: null,
    html: `<p>${'Lorem ipsum dolor sit amet '.repeat(10)}</p>`,
    createdAt: new Date(0).toISOString(),
  })),
  nextCursor: null,
});
app.get('/api/comments', (_req, res) => {
  res.set('content-type', 'application/json').send(doc);
});
const server = app.listen(port, '127.0.0.1');
await once(server, 'listening');
process.send?.('ready');
process.on('SIGTERM', () => process.exit(0));
