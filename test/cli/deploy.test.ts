/**
 * `npm run deploy -- --dry-run --origin https://crm.example.com`: everything a deploy does that
 * needs no Cloudflare account, offline: the panes, the Worker bundle, both manifests for the
 * origin and the migrations it would apply. wrangler.jsonc is left as it was.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configuredDatabase, PLACEHOLDER_ID, withDatabaseId } from '../../scripts/deploy';
import { ROOT } from '../../scripts/lib/local';

function npmRunDeploy(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    // No account: whatever wrangler might find in the environment is taken away.
    const env: NodeJS.ProcessEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
    delete env.CLOUDFLARE_API_TOKEN;
    delete env.CLOUDFLARE_ACCOUNT_ID;
    const child = spawn('npm', ['run', '--silent', 'deploy', '--', ...args], { cwd: ROOT, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('npm run deploy -- --dry-run', () => {
  it(
    'builds the panes and the Worker bundle, writes both manifests for the origin and lists the migrations it would apply',
    { timeout: 600_000 },
    async () => {
      const config = hash(join(ROOT, 'wrangler.jsonc'));
      rmSync(join(ROOT, 'dist/worker'), { recursive: true, force: true });
      rmSync(join(ROOT, 'dist/manifests'), { recursive: true, force: true });
      const started = Date.now();

      const { code, out } = await npmRunDeploy(['--dry-run', '--origin', 'https://crm.example.com']);
      expect(code, out).toBe(0);

      // The bundle wrangler would upload, made now.
      const bundle = join(ROOT, 'dist/worker/index.js');
      expect(statSync(bundle).mtimeMs).toBeGreaterThanOrEqual(started - 1000);
      const worker = readFileSync(bundle, 'utf8');
      expect(worker).toContain('/api/v1');
      expect(worker).toContain('deployment_setup');
      // The panes it would serve.
      expect(readFileSync(join(ROOT, 'dist/addin/index.html'), 'utf8')).toContain('excel/taskpane.html');
      expect(statSync(join(ROOT, 'dist/addin/outlook/taskpane.html')).isFile()).toBe(true);

      for (const name of ['manifest.xml', 'manifest.outlook.xml']) {
        const xml = readFileSync(join(ROOT, 'dist/manifests', name), 'utf8');
        expect(xml, name).toContain('https://crm.example.com/');
        expect(xml, name).not.toContain('localhost:8787');
        expect(out).toContain(`dist/manifests/${name}`);
      }

      const migrations = readdirSync(join(ROOT, 'worker/migrations')).filter((f) => f.endsWith('.sql'));
      expect(migrations.length).toBeGreaterThan(10);
      expect(out).toContain('from worker/migrations/');
      for (const m of migrations) expect(out).toContain(`worker/migrations/${m}`);

      expect(out).toMatch(/nothing is created, migrated or deployed/);
      expect(out).toContain('npx leadpane setup --url https://crm.example.com');
      expect(hash(join(ROOT, 'wrangler.jsonc'))).toBe(config);
    },
  );

  it('refuses an origin Office cannot load (plain http) before building anything', async () => {
    const { code, out } = await npmRunDeploy(['--dry-run', '--origin', 'http://crm.example.com']);
    expect(code).toBe(2);
    expect(out).toMatch(/https only/);
  });
});

describe('the database id the deploy writes', () => {
  it("replaces the placeholder in wrangler.jsonc with the account's database id, keeping comments and layout", () => {
    const text = `{
  "d1_databases": [
    {
      "binding": "DB",
      "database_name": "leadpane",
      // \`npm run deploy\` writes the id here.
      "database_id": "${PLACEHOLDER_ID}",
      "migrations_dir": "worker/migrations",
    },
  ],
}
`;
    expect(configuredDatabase(text)).toEqual({ name: 'leadpane', id: PLACEHOLDER_ID });
    const id = '7c2b8a1e-5f3d-4e2a-9b1c-0d4e5f6a7b8c';
    const written = withDatabaseId(text, id);
    expect(configuredDatabase(written)).toEqual({ name: 'leadpane', id });
    expect(written).toBe(text.replace(PLACEHOLDER_ID, id));
  });
});
