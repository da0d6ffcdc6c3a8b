/** A plain-text message: the body, optionally preceded by "From:/Subject:/To:/Cc:/Date:" lines. */
import type { EmailInput } from './types';

const HEADER = /^([A-Za-z][A-Za-z-]*):[ \t]*(.*)$/;
const KEYS = new Set(['from', 'subject', 'to', 'cc', 'date']);

/**
 * Reads a plain-text message into the engine's input; the header lines are optional.
 * @example parseTextMessage('From: Ivan <i@acme.bg>\nSubject: Hi\n\nHello').subject // 'Hi'
 */
export function parseTextMessage(content: string): EmailInput {
  const lines = content.replace(/\r\n?/g, '\n').split('\n');
  const input: EmailInput = {};
  let i = 0;
  for (; i < lines.length; i++) {
    const m = HEADER.exec(lines[i]!);
    const key = m?.[1]?.toLowerCase();
    if (!m || !key || !KEYS.has(key)) break;
    const value = m[2]!.trim();
    if (key === 'from') input.from = value;
    else if (key === 'subject') input.subject = value;
    else if (key === 'date') input.date = value;
    else (input[key as 'to' | 'cc'] ??= []).push(value);
  }
  if (i > 0 && lines[i]?.trim() === '') i++;
  input.text = lines.slice(i).join('\n');
  return input;
}
