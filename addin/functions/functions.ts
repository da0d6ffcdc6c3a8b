// LEADPANE.PIPELINE / WON / QUOTA / REPORT: each one API call answered as a dynamic array
// (header row + rows). Pure: registration with Excel lives in addin/office/custom-functions.ts.
import type { ApiClient } from '../api/client';
import { ApiError } from '../api/problem';
import { rectangular, toMatrix } from '../api/tabular';
import type { CellErrorLike } from '../office/custom-functions';
import type { Matrix } from '../office/types';
import type { I18n } from '../ui/i18n';

export type FunctionId = 'PIPELINE' | 'WON' | 'QUOTA' | 'REPORT';
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

export function createLeadpaneFunctions(client: ApiClient, i18n: I18n): Record<FunctionId, (...args: Arg[]) => Promise<Matrix>> {
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

  /** Runs one call; API problems become cell errors with the user's message. */
  const table = async (call: () => Promise<unknown>): Promise<Matrix> => {
    try {
      return rectangular(toMatrix(await call()));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const field = error.fieldErrors[0];
      if (error.code === 'validation_failed')
        throw cellError('invalidValue', field ? `${field.path}: ${field.message}` : i18n.problem(error.code));
      throw cellError('notAvailable', i18n.problem(error.code));
    }
  };

  return {
    PIPELINE: (stage, owner) => table(() => client.fn.pipeline({ stage: text(stage)?.toLowerCase(), owner: text(owner) })),
    WON: async (from, to, owner) => {
      const query = { from: date(from, 'from'), to: date(to, 'to'), owner: text(owner) };
      return table(() => client.fn.won(query));
    },
    QUOTA: async (owner, period) => {
      const query = { owner: required(owner, 'owner'), period: required(period, 'period') };
      return table(() => client.fn.quota(query));
    },
    REPORT: async (kind, period, section) => {
      const k = required(kind, 'kind').toLowerCase();
      if (k !== 'weekly') throw cellError('invalidValue', i18n.t('fn.badKind', { kind: k }));
      const name = required(section, 'section');
      const query = {
        kind: k,
        period: required(period, 'period').toUpperCase(),
        section: SECTION_ALIASES[name.toLowerCase()] ?? name,
        lang: i18n.lang,
      };
      return table(() => client.fn.report(query));
    },
  };
}
