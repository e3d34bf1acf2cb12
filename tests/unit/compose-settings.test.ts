import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configKeys } from '../../src/config.js';
import { projectRoot } from '../../src/paths.js';

// docker-compose.yml promises that every setting reaches the containers; this holds it to that, and
// to ports that follow the environment. (No Docker engine in the tests: the file is read as YAML,
// with the merge keys `<<:` Compose applies.)
interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, unknown>;
  ports?: string[];
  profiles?: string[];
}
const compose = parse(readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const appServices = Object.entries(compose.services).filter(([, s]) => s.image === 'reply-desk:local');

describe('docker-compose.yml', () => {
  it('runs the app image in migrate, api, worker, demo-host and the scale profile', () => {
    expect(appServices.map(([name]) => name).sort()).toEqual(
      ['api', 'api-1', 'api-2', 'demo-host', 'migrate', 'worker', 'worker-1', 'worker-2'].sort(),
    );
  });

  it.each(appServices)('%s gets every setting of src/config.ts', (_name, service) => {
    const keys = Object.keys(service.environment ?? {});
    expect(configKeys.filter((k) => !keys.includes(k))).toEqual([]);
  });

  it.each(appServices)('%s passes each optional setting through from the shell or .env', (_name, service) => {
    // Fixed on purpose: the compose network's own addresses.
    const fixed = new Set(['DATABASE_URL', 'REDIS_URL', 'HOST', 'PORT', 'TRUST_PROXY']);
    for (const key of configKeys.filter((k) => !fixed.has(k))) {
      expect(String(service.environment?.[key]), key).toMatch(new RegExp(`^\\$\\{${key}:-`));
    }
  });

  it('publishes the API on ${PORT} and the cross-origin demo on ${DEMO_HOST_PORT}, as the containers listen', () => {
    expect(compose.services.api?.ports).toEqual(['${PORT:-3000}:${PORT:-3000}']);
    expect(compose.services.api?.environment?.PORT).toBe('${PORT:-3000}');
    expect(compose.services.api?.environment?.PUBLIC_URL).toBe('${PUBLIC_URL:-http://localhost:${PORT:-3000}}');
    expect(compose.services['demo-host']?.ports).toEqual(['${DEMO_HOST_PORT:-3001}:${DEMO_HOST_PORT:-3001}']);
    expect(compose.services['demo-host']?.command).toEqual([
      'node',
      'dist/src/bin/demo-host.js',
      '${DEMO_HOST_PORT:-3001}',
    ]);
    const published = Object.values(compose.services).flatMap((s) => s.ports ?? []);
    for (const p of published) expect(p, 'a hard-coded port').toMatch(/^\$\{[A-Z_]+:-\d+\}:/);
  });
});

describe('.env.example', () => {
  const lines = readFileSync(join(projectRoot, '.env.example'), 'utf8').split('\n');
  it.each(configKeys)('has %s, with a comment above it', (key) => {
    const i = lines.findIndex((l) => l.startsWith(`${key}=`));
    expect(i, `${key} missing`).toBeGreaterThan(0);
    // The comment is on the line above, or above the block of keys it describes.
    const above = lines.slice(0, i).reverse();
    expect(above.find((l) => !/^[A-Z_]+=/.test(l))).toMatch(/^# /);
  });

  it('runs Postgres with the write-path settings README suggests (each passed as -c, beyond the stock 128 MB)', () => {
    const command = compose.services.postgres?.command ?? [];
    expect(command[0]).toBe('postgres');
    const settings = Object.fromEntries(
      command.filter((_, i) => command[i - 1] === '-c').map((c) => c.split('=') as [string, string]),
    );
    expect(settings).toMatchObject({ shared_buffers: '1GB', max_wal_size: '4GB', wal_compression: 'lz4' });
    expect(command.filter((c) => c === '-c')).toHaveLength(Object.keys(settings).length);
  });
});
