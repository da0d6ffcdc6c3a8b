// The start of both panes: connect to the host, make the API client, render.
import { createRoot } from 'react-dom/client';
import type { ReactNode } from 'react';
import { createPaneClient } from '../api/client';
import { connectHost, type PaneAdapters } from '../office/connect';
import { AppShell } from './AppShell';
import type { I18n } from './i18n/core';
import { loadI18n } from './i18n/load';
import './base.css';
import type { Pane } from './context';

/** Connects the host, loads the UI language and renders the pane; answers both for what else the page starts. */
export async function startPane(adapters: PaneAdapters, render: (pane: Pane) => ReactNode): Promise<{ pane: Pane; i18n: I18n }> {
  const host = await connectHost(adapters);
  // The UI language is known once the host is: its dictionary (unless English) is a chunk.
  const i18n = await loadI18n(host.info.displayLanguage());
  const authEvents = new EventTarget();
  const client = createPaneClient(host.info.storage, () => authEvents.dispatchEvent(new Event('unauthorized')));
  const pane: Pane = { host, client, authEvents };
  const root = document.getElementById('root');
  if (!root) throw new Error('The page has no #root element');
  createRoot(root).render(
    <AppShell pane={pane} i18n={i18n}>
      {render(pane)}
    </AppShell>,
  );
  return { pane, i18n };
}
