import { describe, it, expect } from 'vitest';
import { ConfigError, configKeys, configWarnings, loadConfig } from '../../src/config.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('an empty environment gives the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/reply_desk',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_WAIT_REPLICAS: 0,
      REDIS_WAIT_TIMEOUT_MS: 500,
      PORT: 3000,
      HOST: '0.0.0.0',
      PUBLIC_URL: 'http://localhost:3000',
      LOG_LEVEL: 'info',
      QUEUE_PREFIX: 'reply-desk',
      SUBMISSION_SHARDS: 1,
      WORKER_CONCURRENCY: 32,
      WORKER_LOCK_MS: 30_000,
      WRITE_BATCH_SIZE: 100,
      DB_POOL_SIZE: 10,
      READ_REPLICA_MAX_LAG_MS: 5000,
      DB_PREPARED_STATEMENTS: true,
      ENQUEUE_TIMEOUT_MS: 2000,
      TRUST_PROXY: '',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      SESSION_IDLE_MINUTES: 120,
      DEMO: true,
      DB_STATEMENT_TIMEOUT_MS: 30_000,
      METRICS_HOST: '127.0.0.1',
      AKISMET_URL: 'https://rest.akismet.com/1.1',
      AKISMET_TIMEOUT_MS: 3000,
      AKISMET_RECHECK_MS: 60_000,
      AKISMET_TEST: false,
      SURGE_WINDOW_SECONDS: 60,
      SURGE_BASELINE_SECONDS: 86_400,
      SURGE_COOLDOWN_SECONDS: 600,
      WEBHOOK_ALLOW_PRIVATE: false,
      WEBHOOK_TIMEOUT_MS: 5000,
      CHECK_HOOK_TIMEOUT_MS: 2000,
      MAIL_FROM: 'Reply Desk <reply-desk@localhost>',
      EMAIL_DIGEST_MINUTES: 10,
      MAIL_LINK_HOURS: 48,
      API_WORKERS: 1,
    });
  });

  it('empty strings count as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', DEMO: '' })).toEqual(loadConfig({}));
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', NODE_ENV: 'test' })).toEqual(loadConfig({}));
  });

  it.each([
    ['PORT', '8080', 8080],
    ['PORT', '0', 0],
    ['DATABASE_URL', 'postgresql://u:p@db:5432/x', 'postgresql://u:p@db:5432/x'],
    ['REDIS_URL', 'rediss://cache.example:6380', 'rediss://cache.example:6380'],
    ['PUBLIC_URL', 'https://comments.example/', 'https://comments.example'],
    ['PUBLIC_URL', 'https://example.org/comments//', 'https://example.org/comments'],
    ['DEMO', 'false', false],
    ['DEMO', '0', false],
    ['DEMO', '1', true],
    ['LOG_LEVEL', 'debug', 'debug'],
    ['QUEUE_PREFIX', 'test:run.1_a-b', 'test:run.1_a-b'],
    ['QUEUE_PREFIX', '{reply-desk}', '{reply-desk}'],
    // Parsed; whether its braces make a hash tag is the start-up check's (src/queue/queue-prefix.ts).
    ['QUEUE_PREFIX', '{}', '{}'],
    ['WRITE_BATCH_SIZE', '1', 1],
    ['TRUST_PROXY', 'loopback', 'loopback'],
    ['WEBHOOK_ALLOW_PRIVATE', 'true', true],
    ['SMTP_URL', 'smtp://user:pass@mail.example:587', 'smtp://user:pass@mail.example:587'],
    ['EMAIL_DIGEST_MINUTES', '1', 1],
    ['DB_STATEMENT_TIMEOUT_MS', '0', 0],
    ['METRICS_PORT', '9464', 9464],
    ['METRICS_TOKEN', 'a-token-of-16-chars', 'a-token-of-16-chars'],
  ])('%s=%j gives %j', (key, value, expected) => {
    expect(loadConfig({ [key]: value })).toMatchObject({ [key]: expected });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['DATABASE_URL', 'mysql://db/x'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['PUBLIC_URL', 'ftp://example.org'],
    ['LOG_LEVEL', 'verbose'],
    ['QUEUE_PREFIX', 'has space'],
    ['QUEUE_PREFIX', 'x'.repeat(65)],
    ['WORKER_CONCURRENCY', '0'],
    ['WORKER_LOCK_MS', '999'],
    ['DB_POOL_SIZE', '201'],
    ['READ_REPLICA_MAX_LAG_MS', '99'],
    ['DB_PREPARED_STATEMENTS', 'no'],
    ['ENQUEUE_TIMEOUT_MS', '10'],
    ['REDIS_SENTINELS', 'sentinel-without-port'],
    ['REDIS_WAIT_REPLICAS', '-1'],
    ['DEMO', 'yes'],
    ['WEBHOOK_ALLOW_PRIVATE', 'yes'],
    ['WEBHOOK_TIMEOUT_MS', '10'],
    ['SMTP_URL', 'http://mail.example'],
    ['EMAIL_DIGEST_MINUTES', '0'],
    ['MAIL_LINK_HOURS', '0'],
  ])('%s=%j is refused with a ConfigError naming the key and value', (key, value) => {
    const error = configError({ [key]: value });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(`${key}=${JSON.stringify(value)}`);
  });

  it('several bad values give one ConfigError listing each', () => {
    const error = configError({
      PORT: 'abc',
      DATABASE_URL: 'mysql://db/x',
      REDIS_URL: 'http://r',
      LOG_LEVEL: 'loud',
      HOST: 'ok',
    });
    expect(error.name).toBe('ConfigError');
    expect(error.problems.map((p) => p.split('=')[0]).sort()).toEqual([
      'DATABASE_URL',
      'LOG_LEVEL',
      'PORT',
      'REDIS_URL',
    ]);
    for (const key of ['PORT', 'DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL']) expect(error.message).toContain(key);
    expect(error.message).toMatch(/^Invalid configuration: /);
  });
});

describe('PUBLIC_URL follows PORT', () => {
  it('PORT without PUBLIC_URL gives http://localhost:$PORT, so the demo pages load scripts from the port served', () => {
    expect(loadConfig({ PORT: '4100' })).toMatchObject({ PORT: 4100, PUBLIC_URL: 'http://localhost:4100' });
  });

  it('an explicit PUBLIC_URL wins over PORT', () => {
    expect(loadConfig({ PORT: '4100', PUBLIC_URL: 'https://comments.example/' })).toMatchObject({
      PORT: 4100,
      PUBLIC_URL: 'https://comments.example',
    });
  });

  it('configKeys lists every setting, the optional ones included', () => {
    for (const key of ['PUBLIC_URL', 'SMTP_URL', 'AKISMET_KEY', 'METRICS_TOKEN', 'SESSION_SECRET', 'DATABASE_READ_URL'])
      expect(configKeys).toContain(key);
  });
});

describe('configWarnings', () => {
  it.each([
    ['http://localhost:3000', 4100],
    ['http://127.0.0.1:3000', 4100],
    ['http://[::1]:3000', 4100],
    ['http://localhost', 3000],
  ])('PUBLIC_URL=%s with PORT=%i gets one line naming both ports', (url, port) => {
    const warnings = configWarnings(loadConfig({ PUBLIC_URL: url, PORT: String(port) }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`PORT=${port}`);
    expect(warnings[0]).toContain(`PUBLIC_URL=${url}`);
    expect(warnings[0]).not.toContain('\n');
  });

  it.each([
    [{}],
    [{ PORT: '4100' }],
    [{ PORT: '4100', PUBLIC_URL: 'http://localhost:4100' }],
    [{ PORT: '80', PUBLIC_URL: 'http://localhost' }],
    [{ PORT: '443', PUBLIC_URL: 'https://localhost/' }],
    // Another host: a proxy or a real domain in front, so its port says nothing about PORT.
    [{ PORT: '4100', PUBLIC_URL: 'https://comments.example' }],
    [{ PORT: '4100', PUBLIC_URL: 'http://comments.example:3000' }],
    [{ PORT: '0' }],
  ])('%j gets none', (env) => {
    expect(configWarnings(loadConfig(env))).toEqual([]);
  });
});
