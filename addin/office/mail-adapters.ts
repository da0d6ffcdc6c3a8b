// The Outlook pane's host adapters for connectHost: the mailbox over Office.js, or a dropped or
// scripted .eml in browser mode.
import type { PaneAdapters } from './connect';
import { createBrowserMailHost } from './mail-browser';
import { createOfficeMailHost } from './mail-office';

export const mailAdapters: PaneAdapters = {
  app: 'outlook',
  office: () => ({ mail: createOfficeMailHost() }),
  browser(fixture) {
    const mail = createBrowserMailHost();
    return fixture?.eml ? { mail, ready: mail.loadEml(fixture.eml).then(() => undefined) } : { mail };
  },
};
