/**
 * HTML mail bodies to plain text without a DOM: tags stripped, block elements and <br> become line
 * breaks, entities decoded, and <blockquote> content prefixed with "> " so quoted history looks
 * the same as in a plain-text reply.
 */

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  laquo: '«',
  raquo: '»',
  bdquo: '„',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  hellip: '…',
  copy: '©',
  reg: '®',
  trade: '™',
  bull: '•',
  middot: '·',
  euro: '€',
  shy: '',
  zwnj: '',
  zwj: '',
  lrm: '',
  rlm: '',
  thinsp: ' ',
  ensp: ' ',
  emsp: ' ',
  numero: '№',
  deg: '°',
};

const ENTITY = /&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi;

/** Decodes HTML character references (named, decimal, hex). */
export function decodeEntities(text: string): string {
  return text.replace(ENTITY, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

const BLOCK = new Set([
  'p',
  'div',
  'tr',
  'li',
  'ul',
  'ol',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'address',
  'section',
  'article',
  'header',
  'footer',
  'dl',
  'dt',
  'dd',
  'center',
  'form',
  'fieldset',
  'tbody',
  'thead',
]);
const SKIP = new Set(['head', 'style', 'script', 'title', 'xml', 'template', 'noscript']);
// One token per match: a comment, a tag (name captured) or a run of text. Each alternative consumes
// at least one character and nothing backtracks across alternatives, so it is linear.
const TOKEN = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<!?[^>]*>|[^<]+|</g;
const TAG = /^<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)/;

/**
 * Converts an HTML body to plain text.
 * @example htmlToText('<p>Hi<br>there</p><blockquote>old</blockquote>') // 'Hi\nthere\n> old'
 */
export function htmlToText(html: string): string {
  const lines: string[] = [];
  let line = '';
  let depth = 0;
  let skip = 0;
  let pre = 0;
  const newline = (): void => {
    lines.push(line.replace(/[ \t]+$/, ''));
    line = '';
  };
  const blockBreak = (): void => {
    if (line.replace(/^(> )+/, '').trim() !== '') newline();
    else line = '';
  };
  const write = (text: string): void => {
    if (text === '') return;
    if (line === '' && depth > 0) line = '> '.repeat(depth);
    if (line.endsWith(' ') || /^(> )*$/.test(line)) text = text.replace(/^ +/, '');
    line += text;
  };
  for (const m of html.matchAll(TOKEN)) {
    const tok = m[0];
    if (tok[0] === '<' && tok.length > 1) {
      const t = TAG.exec(tok);
      if (!t) continue;
      const closing = t[1] === '/';
      const name = t[2]!.toLowerCase();
      if (SKIP.has(name)) {
        if (!tok.endsWith('/>')) skip = Math.max(0, skip + (closing ? -1 : 1));
        continue;
      }
      if (skip > 0) continue;
      if (name === 'br') {
        if (line === '' && depth > 0) line = '> '.repeat(depth);
        newline();
      } else if (name === 'blockquote') {
        blockBreak();
        depth = Math.max(0, depth + (closing ? -1 : 1));
      } else if (name === 'hr') {
        blockBreak();
        write('________________________________');
        newline();
      } else if (name === 'td' || name === 'th') {
        if (closing) write(' ');
      } else if (BLOCK.has(name)) {
        if (name === 'pre') pre = Math.max(0, pre + (closing ? -1 : 1));
        blockBreak();
      }
      continue;
    }
    if (skip > 0) continue;
    const text = decodeEntities(tok);
    if (pre > 0) {
      const parts = text.split(/\r?\n/);
      parts.forEach((p, i) => {
        if (i > 0) newline();
        write(p);
      });
    } else {
      write(text.replace(/[\s\u00a0]+/g, ' ').replace(/\u00a0/g, ' '));
    }
  }
  newline();
  // at most one blank line in a row
  const out: string[] = [];
  for (const l of lines) {
    const blank = l.replace(/^(> ?)+/, '').trim() === '';
    if (blank && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(blank ? '' : l);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}
