// The start of both panes: connect to the host, make the API client, render.
import { createRoot } from 'react-dom/client';
import type { ReactNode } from 'react';
import { createPaneClient } from '../api/client';
import { connectHost } from '../office/connect';
import { AppShell } from './AppShell';
import './base.css';
import type { Pane } from './context';

export async function startPane(app: 'excel' | 'outlook', render: (pane: Pane) => ReactNode): Promise<Pane> {
  const host = await connectHost(app);
  const authEvents = new EventTarget();
  const client = createPaneClient(host.info.storage, () => authEvents.dispatchEvent(new Event('unauthorized')));
  const pane: Pane = { host, client, authEvents };
  const root = document.getElementById('root');
  if (!root) throw new Error('The page has no #root element');
  createRoot(root).render(<AppShell pane={pane}>{render(pane)}</AppShell>);
  return pane;
}
