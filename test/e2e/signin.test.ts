// Microsoft 365 sign-in end to end: the pane in Chromium asks Office's nested app authentication
// bridge (scripted: the Office host is the only fake) for a token, the real local API verifies it
// against a JSON Web Key Set served here, maps the tenant to an organisation and answers /me.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/local';
import { launchBrowser, openPane, startApi, type Api } from './harness';

const clientId = randomUUID();
const tenantId = randomUUID();
const objectId = randomUUID();
const issuer = `https://login.test/${tenantId}/v2.0`;

let api: Api;
let browser: Browser;
let keys: Server;
let keyRequests = 0;
let accessToken: string;
let idToken: string;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  const port = await freePort();
  keys = createServer((req, res) => {
    keyRequests++;
    res.writeHead(req.url === '/jwks' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  }).listen(port, '127.0.0.1');
  const now = Math.floor(Date.now() / 1000);
  const claims = { tid: tenantId, oid: objectId, preferred_username: 'olga.ivanova@contoso.test', name: 'Olga Ivanova', ver: '2.0' };
  const sign = (audience: string) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1', typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(objectId)
      .setIssuedAt(now)
      .setNotBefore(now - 60)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
  accessToken = await sign(clientId);
  idToken = await sign(clientId);
  api = await startApi({
    seed: false,
    vars: {
      ENTRA_AUDIENCE: `api://127.0.0.1/${clientId},${clientId}`,
      ENTRA_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
      ENTRA_ISSUER_TEMPLATE: 'https://login.test/{tid}/v2.0',
      // No organisation is linked to this tenant yet: the deployment lets it make its own.
      ENTRA_ALLOWED_TENANTS: tenantId,
    },
  });
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  keys?.close();
});

describe('Microsoft 365 sign-in in the pane', () => {
  it(
    'signs in through Office with one click, and the allowed tenant becomes an organisation with this user as its admin',
    { timeout: 240_000 },
    async () => {
      const { page, errors } = await openPane(browser, api, 'excel', {
        host: { language: 'en', workbook: { sheets: { Sheet1: [['keep me']] } } },
        naa: {
          accessToken,
          idToken,
          account: { tenantId, localAccountId: objectId, username: 'olga.ivanova@contoso.test', name: 'Olga Ivanova' },
        },
      });
      await page.getByRole('button', { name: 'Sign in with Microsoft 365' }).click({ timeout: 120_000 });
      await page.getByText('Olga Ivanova').first().waitFor({ timeout: 60_000 });
      await page.getByRole('tab', { name: 'Import' }).waitFor();

      // The bridge was asked for the API's scope, silently first.
      const asked = await page.evaluate(
        () => (window as unknown as { __naaRequests: Array<{ method: string; tokenParams?: { scope: string } }> }).__naaRequests,
      );
      const tokenRequest = asked.find((r) => r.method === 'GetToken');
      expect(tokenRequest?.tokenParams?.scope).toContain(`api://127.0.0.1/${clientId}/access_as_user`);
      expect(keyRequests).toBeGreaterThan(0);

      const [user] = api.sql<{ role: string; email: string; tenant: string }>(
        `SELECT u.role, u.email, o.tenant_id AS tenant FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.external_id = '${objectId}';`,
      );
      expect(user).toEqual({ role: 'admin', email: 'olga.ivanova@contoso.test', tenant: tenantId });

      // Reopening the pane keeps the session: no second click.
      await page.reload();
      await page.getByRole('tab', { name: 'Import' }).waitFor({ timeout: 60_000 });
      expect(errors).toEqual([]);
    },
  );
});
