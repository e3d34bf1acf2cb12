import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowDemoOrigins, ensureDemoSite, ensureDemoSsoSecret } from '../../src/demo-site.js';
import { startDemoHostServer } from '../../src/http/demo/demo-host-page.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';

// The demo host page (npm start's "customer's blog") signs its own subscribers in through host-site
// SSO with the demo site's secret: what a newsroom's article template does, seen working in the demo.
let p: TestPipeline;
let host: Server;
let hostUrl: string;

beforeAll(async () => {
  p = await startPipeline();
  await ensureDemoSite(p.db.pool, p.api.url, 3000);
  const secret = await ensureDemoSsoSecret(p.db.pool);
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  // Made once: a second start (another process) reads the same secret.
  expect(await ensureDemoSsoSecret(p.db.pool)).toBe(secret);
  host = await startDemoHostServer({ port: 0, host: '127.0.0.1', apiUrl: p.api.url, ssoSecret: secret });
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  await allowDemoOrigins(p.db.pool, [hostUrl]);
  await p.api.sites.refresh();
});

afterAll(async () => {
  host?.close();
  await p?.close();
});

const tokenOf = (page: string): string | null => /data-sso-token="([^"]+)"/.exec(page)?.[1] ?? null;

describe('the demo host page with SSO', () => {
  it('carries no token for a visitor who has not signed in to the blog, but the blog sign-in link', async () => {
    const page = await (await fetch(`${hostUrl}/`)).text();
    expect(tokenOf(page)).toBeNull();
    expect(page).toContain('data-sso-login="/?as=ada"');
  });

  it('signs Ada in: its token opens a verified reader session for the demo site', async () => {
    const page = await (await fetch(`${hostUrl}/?as=ada`)).text();
    expect(page).toContain('Signed in to this blog as <b>Ada Subscriber</b>');
    const sso = tokenOf(page);
    expect(sso).not.toBeNull();
    const res = await fetch(`${p.api.url}/api/readers/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: hostUrl },
      body: JSON.stringify({ site: 'demo', sso }),
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { token: string; reader: { name: string; verified: boolean; via: string } };
    expect(answer.reader).toMatchObject({ name: 'Ada Subscriber', verified: true, via: 'sso' });
    const me = await fetch(`${p.api.url}/api/readers/me?site=demo`, {
      headers: { authorization: `Bearer ${answer.token}`, origin: hostUrl },
    });
    expect(me.status).toBe(200);
  });

  it('ignores an unknown subscriber name (a guest page, no token)', async () => {
    const page = await (await fetch(`${hostUrl}/?as=constructor`)).text();
    expect(tokenOf(page)).toBeNull();
  });
});
