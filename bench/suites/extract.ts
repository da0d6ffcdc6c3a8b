import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { extractLead, parseEml, parseTextMessage } from '../../shared/email';
import { ROOT } from '../../scripts/lib/local';
import { percentile, round } from '../stats';
import type { Suite } from '../run';

/** Every mail file under the email corpora, Bulgarian and Russian business mail included (or the project's own fixtures when they are absent). */
function mailFiles(): string[] {
  const corpora = resolve(ROOT, '../shared/corpora');
  const roots = existsSync(corpora)
    ? [
        'quagga-enron',
        'quagga-asf',
        'mailgun-forge',
        'mailgun-talon',
        'crisp-email-reply-parser',
        'github-email-reply-parser',
        'leadpane-mail-dev',
      ].map((d) => join(corpora, d))
    : [join(ROOT, 'test/fixtures/email')];
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(eml|txt|msg)$/i.test(f) || !f.includes('.')) out.push(p);
    }
  };
  roots.forEach(walk);
  return out;
}

/** `extract.p99_ms`: one extraction per mail over the corpora, after one warm-up pass. */
export const suite: Suite = {
  name: 'extract',
  async run(ctx) {
    const inputs = [];
    for (const f of mailFiles()) {
      const raw = readFileSync(f);
      inputs.push(f.endsWith('.eml') ? await parseEml(new Uint8Array(raw)) : parseTextMessage(raw.toString('utf8')));
    }
    for (const i of inputs) extractLead(i);
    const times: number[] = [];
    for (const i of inputs) {
      const t0 = performance.now();
      extractLead(i);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    ctx.log(`${inputs.length} mails`);
    return {
      'extract.mails': inputs.length,
      'extract.p50_ms': round(percentile(times, 50), 3),
      'extract.p99_ms': round(percentile(times, 99), 3),
      'extract.max_ms': round(times[times.length - 1] ?? 0, 3),
    };
  },
};
