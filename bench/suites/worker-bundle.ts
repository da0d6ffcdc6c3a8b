import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { quietEnv, ROOT } from '../../scripts/lib/local';
import { round } from '../stats';
import type { Suite } from '../run';

/** `worker.bundle_gzip_kb`: the Worker as `wrangler deploy --dry-run` bundles it, gzipped. */
export const suite: Suite = {
  name: 'worker',
  async run(ctx) {
    const out = mkdtempSync(join(tmpdir(), 'leadpane-bundle-'));
    try {
      const res = spawnSync(join(ROOT, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', out], {
        cwd: ROOT,
        env: quietEnv,
        encoding: 'utf8',
      });
      if (res.status !== 0) throw new Error(res.stderr || res.stdout);
      let bytes = 0;
      let raw = 0;
      const walk = (dir: string) => {
        for (const f of readdirSync(dir)) {
          const p = join(dir, f);
          if (statSync(p).isDirectory()) walk(p);
          else if (/\.(m?js|wasm)$/.test(f)) {
            const buf = readFileSync(p);
            raw += buf.length;
            bytes += gzipSync(buf, { level: 9 }).length;
          }
        }
      };
      walk(out);
      ctx.log(`bundle ${round(raw / 1024)} KiB raw`);
      return { 'worker.bundle_kb': round(raw / 1024), 'worker.bundle_gzip_kb': round(bytes / 1024) };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
};
