// What every component of a pane may use: host, API client, translations, and auth events.
import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client';
import type { HostBundle } from '../office/types';
import type { I18n } from './i18n';

export interface Pane {
  host: HostBundle;
  client: ApiClient;
  /** Fires "unauthorized" when any call answers 401. */
  authEvents: EventTarget;
}

export const PaneContext = createContext<Pane | null>(null);
export const I18nContext = createContext<I18n | null>(null);

export function usePane(): Pane {
  const pane = useContext(PaneContext);
  if (!pane) throw new Error('usePane outside <AppShell>');
  return pane;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside <AppShell>');
  return i18n;
}
