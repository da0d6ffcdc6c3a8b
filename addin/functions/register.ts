// Registers the functions with the runtime the page runs in (the Excel pane's shared runtime,
// or functions.html's JavaScript-only runtime). A no-op in a plain browser tab.
import type { ApiClient } from '../api/client';
import { registerCustomFunctions } from '../office/custom-functions';
import type { I18n } from '../ui/i18n';
import { createLeadpaneFunctions } from './functions';

export function registerLeadpaneFunctions(client: ApiClient, i18n: I18n): boolean {
  return registerCustomFunctions(createLeadpaneFunctions(client, i18n) as Record<string, (...args: never[]) => Promise<unknown>>);
}
