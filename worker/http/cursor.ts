import { AppError } from './errors';

/** Opaque cursors: base64url of the last row's sort key. */
export function encodeCursor(parts: (string | number)[]): string {
  return btoa(JSON.stringify(parts)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor(cursor: string, length: number): (string | number)[] {
  try {
    const parts = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))) as unknown;
    if (Array.isArray(parts) && parts.length === length && parts.every((p) => typeof p === 'string' || typeof p === 'number'))
      return parts as (string | number)[];
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'The cursor is not one this API gave out.', {
    errors: [{ path: '/cursor', code: 'invalid_cursor', message: 'Use nextCursor from the previous page.' }],
  });
}
