/**
 * `npm run build`: builds the add-in panes into dist/addin (the Worker's static assets). Skips
 * the build when the output is newer than every source file, unless --force.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAssetsDir, ROOT } from './lib/local';

function newest(dir: string): number {
  let t = 0;
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, f.name);
    t = Math.max(t, f.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function buildAddin(force = false): void {
  if (!existsSync(join(ROOT, 'vite.config.ts')) || !existsSync(join(ROOT, 'addin'))) return ensureAssetsDir();
  const marker = join(ROOT, 'dist/addin/excel/taskpane.html');
  const sources = Math.max(
    newest(join(ROOT, 'addin')),
    newest(join(ROOT, 'shared')),
    ...['vite.config.ts', 'scripts/build-addin.ts', 'scripts/lib/page-headers.ts'].map((f) => statSync(join(ROOT, f)).mtimeMs),
  );
  if (!force && existsSync(marker) && statSync(marker).mtimeMs > sources) return;
  console.log('Building the add-in panes...');
  const res = spawnSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) buildAddin(process.argv.includes('--force'));
