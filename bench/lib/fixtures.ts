import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Submission } from '../../src/domain/submission.js';

const words = (
  'the a of to and in that is for it on was with he as i his be at by this had not are but from or have an they ' +
  'which one you were her all she there would their we him been has when who will more no if out so said what up ' +
  'its about into than them can only other new some could time these two may then do first any my now such like ' +
  'our over man me even most made after also did many before must through back years where much your way well ' +
  'down should because each just those people how too little state good very make world still own see men work ' +
  'long get here between both life being under never day same another know while last might us great old year'
).split(' ');

/** Deterministic-enough pseudo text of about `bytes` bytes; `seed` varies it so bodies are distinct. */
export function sentence(seed: number, bytes: number): string {
  let s = '';
  let x = (seed * 2654435761) >>> 0;
  while (s.length < bytes) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += (s.length === 0 ? '' : ' ') + words[x % words.length];
  }
  return `${s.slice(0, bytes - 12)} (#${seed.toString(36)}).`;
}

const runTag = randomBytes(4).toString('hex');

/**
 * A JSON body for POST /api/comments of about 500 bytes, distinct for every `n` (and every bench run),
 * without an idempotency key.
 */
export function commentJson(site: string, n: number, pages = 500): string {
  return JSON.stringify({
    site,
    page: `article-${n % pages}`,
    pageUrl: null,
    pageTitle: `Article ${n % pages}`,
    author: `Reader ${n % 5000}`,
    email: `reader${n % 5000}@example.org`,
    url: '',
    body: `${runTag} ${sentence(n, 330)}`,
  });
}

/**
 * A queued submission as the API would build it, for pre-filling the queue straight in Redis. Mostly
 * plain text; every 20th has two links (held), every 50th a spam phrase, so the rules do real work.
 */
export function submission(site: string, n: number, tag: string): Submission {
  const extra =
    n % 50 === 0 ? ' buy cheap pills now' : n % 20 === 0 ? ' see https://a.example/x and https://b.example/y' : '';
  return {
    id: uuidv7(),
    siteId: site,
    page: `article-${n % 1000}`,
    pageUrl: null,
    pageTitle: `Article ${n % 1000}`,
    parentId: null,
    author: `Reader ${n % 5000}`,
    email: `reader${n % 5000}@example.org`,
    url: '',
    // The run's tag too: a kept database (BENCH_DATABASE) holds earlier runs' comments, and a body seen
    // before is a duplicate (rejected), which is not the pipeline's usual work.
    body: `${runTag} ${tag} ${sentence(n, 330)}${extra} *well* said.`,
    honeypot: '',
    key: null,
    ip: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
    userAgent: 'bench/1.0',
    referrer: '',
    receivedAt: new Date().toISOString(),
    source: 'json',
  };
}
