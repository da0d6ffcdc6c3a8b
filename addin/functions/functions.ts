// LEADPANE.PIPELINE / WON / QUOTA / REPORT answered as dynamic arrays (header row + rows). The
// calls of one recalculation go to the server together, as one request (batch.ts), and answers
// are reused per arguments until the pane's next sync or a minute (cache.ts). Errors become
// Excel errors with a message in the user's language. Pure: registration with Excel lives in
// addin/office/custom-functions.ts.
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import { rectangular, toMatrix } from '../api/tabular';
import type { CellErrorLike } from '../office/custom-functions';
import type { Matrix } from '../office/types';
import type { I18n } from '../ui/i18n';
import { createBatcher, type Batcher, type BatchCall, type FunctionId } from './batch';
import { onDataChanged } from './cache';

export type { FunctionId } from './batch';
type Arg = string | number | boolean | null | undefined;

function cellError(kind: CellErrorLike['cellError'], message: string): Error & CellErrorLike {
  return Object.assign(new Error(message), { cellError: kind });
}

/** Excel's date serial (days since 1899-12-30) or "2026-07-01" to an ISO date. */
export function toIsoDate(value: Arg): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return new Date(Math.round((value - 25_569) * 86_400_000)).toISOString().slice(0, 10);
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())) {
    const date = new Date(`${value.trim()}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? null : value.trim();
  }
  return null;
}

const text = (value: Arg): string | undefined => {
  const s = value === null || value === undefined ? '' : String(value).trim();
  return s === '' ? undefined : s;
};

/** Short section names a formula may use, to the report's section keys. */
export const SECTION_ALIASES: Record<string, string> = {
  leads: 'newLeadsBySource',
  managers: 'newLeadsByManager',
  conversion: 'conversion',
  pipeline: 'pipeline',
  movements: 'movements',
  won: 'wonLost',
  lost: 'lostReasons',
  competitors: 'competitors',
  quota: 'planVsActual',
  forecast: 'forecast',
  activity: 'activities',
  overdue: 'overdueFollowUps',
  complaints: 'openCases',
  vip: 'vipNoContact',
};

/** The batcher over the client: POST /reports/fn/batch, retried like a read (it changes nothing). */
export function clientBatcher(client: ApiClient, options: Partial<Parameters<typeof createBatcher>[0]> = {}): Batcher {
  return createBatcher({
    send: async (calls: BatchCall[]) =>
      (await client.send({ method: 'POST', path: '/reports/fn/batch', body: { calls } }, { idempotent: true })).results,
    ...options,
  });
}

const defined = (args: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(args).filter((e): e is [string, string] => e[1] !== undefined));

export function createLeadpaneFunctions(
  client: ApiClient,
  i18n: I18n,
  batcher: Batcher = clientBatcher(client),
): Record<FunctionId, (...args: Arg[]) => Promise<Matrix>> {
  // A sync in the pane (same runtime) makes every cached answer stale.
  onDataChanged(() => batcher.clear());
  const required = (value: Arg, name: string): string => {
    const s = text(value);
    if (!s) throw cellError('invalidValue', i18n.t('fn.required', { name }));
    return s;
  };
  const date = (value: Arg, name: string): string => {
    const iso = toIsoDate(value);
    if (!iso) throw cellError('invalidValue', i18n.t('fn.badDate', { name }));
    return iso;
  };

  /** Runs one call through the batch; API problems become cell errors with the user's message. */
  const table = async (fn: FunctionId, args: Record<string, string | undefined>): Promise<Matrix> => {
    try {
      const answer = await batcher.call({ fn, args: defined(args) });
      return rectangular(toMatrix({ columns: answer.columns, rows: answer.rows }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const field = error.fieldErrors[0];
      if (error.code === 'validation_failed')
        throw cellError('invalidValue', field ? `${field.path.replace(/^\//, '')}: ${field.message}` : i18n.problem(error.code));
      if (error.code === 'network') throw cellError('notAvailable', i18n.t('fn.offline'));
      throw cellError('notAvailable', i18n.problem(error.code));
    }
  };

  return {
    PIPELINE: (stage, owner) => table('PIPELINE', { stage: text(stage)?.toLowerCase(), owner: text(owner) }),
    WON: async (from, to, owner) => table('WON', { from: date(from, 'from'), to: date(to, 'to'), owner: text(owner) }),
    QUOTA: async (owner, period) => table('QUOTA', { owner: required(owner, 'owner'), period: required(period, 'period') }),
    REPORT: async (kind, period, section) => {
      const k = required(kind, 'kind').toLowerCase();
      if (k !== 'weekly') throw cellError('invalidValue', i18n.t('fn.badKind', { kind: k }));
      const name = required(section, 'section');
      return table('REPORT', {
        kind: k,
        period: required(period, 'period').toUpperCase(),
        section: SECTION_ALIASES[name.toLowerCase()] ?? name,
        lang: i18n.lang,
      });
    },
  };
}
