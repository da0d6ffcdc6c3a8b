// One place that turns any failure into words for the user.
import { ApiError } from '../api/problem';
import type { I18n } from './i18n';

export interface Explained {
  message: string;
  requestId: string | null;
  apiError: ApiError | null;
}

export function explain(error: unknown, i18n: I18n): Explained {
  if (error instanceof ApiError) return { message: i18n.problem(error.code), requestId: error.requestId, apiError: error };
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ItemNotFound' && String((error as Error).message).includes('workbook')) {
    return { message: i18n.t('workbook.none'), requestId: null, apiError: null };
  }
  return { message: error instanceof Error ? error.message : String(error), requestId: null, apiError: null };
}
