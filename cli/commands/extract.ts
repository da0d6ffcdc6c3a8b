/**
 * `leadpane extract FILE...`: one JSON line per file with the lead, the newest message and the
 * signature, and, when the mail states no company, `"suggestions": {"company": ...}` guessed from
 * the mail domain (a guess, never a lead value). A .eml (or any file that starts with RFC 822
 * headers) is parsed as a message; any other file is the body, optionally preceded by "From:" /
 * "Subject:" lines.
 */
import { readFile } from 'node:fs/promises';
import { extractLead, parseEml, parseTextMessage, toLeadJson } from '../../shared/email';
import { parseArgs } from '../args';

const MIME_HINT = /^(?:message-id|mime-version|content-type|received|return-path|x-[a-z-]+):/im;

function looksLikeEml(name: string, head: string): boolean {
  if (/\.eml$/i.test(name)) return true;
  const block = head.split(/\r?\n\r?\n/, 1)[0] ?? '';
  return /^[A-Za-z-]+:/.test(block) && MIME_HINT.test(block);
}

export async function run(args: string[]): Promise<number> {
  const { positionals } = parseArgs(args);
  if (positionals.length === 0) {
    process.stderr.write('Usage: leadpane extract FILE... (.eml or plain text)\n');
    return 2;
  }
  let code = 0;
  for (const file of positionals) {
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
      process.stderr.write(`leadpane extract: cannot read ${file}: ${reason}\n`);
      code = 1;
      continue;
    }
    try {
      const head = buf.subarray(0, 8192).toString('latin1');
      const input = looksLikeEml(file, head) ? await parseEml(new Uint8Array(buf)) : parseTextMessage(buf.toString('utf8'));
      const x = extractLead(input);
      const suggestions = Object.fromEntries(Object.entries(x.suggestions).map(([k, f]) => [k, f.value]));
      const line = { file, lead: toLeadJson(x), newMessage: x.newMessage || null, signature: x.signature };
      process.stdout.write(JSON.stringify(Object.keys(suggestions).length ? { ...line, suggestions } : line) + '\n');
    } catch (err) {
      process.stderr.write(`leadpane extract: cannot parse ${file}: ${(err as Error).message}\n`);
      code = 1;
    }
  }
  return code;
}
