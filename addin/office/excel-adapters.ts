// The Excel pane's host adapters for connectHost: the workbook over Office.js, or an opened (or
// scripted) workbook in browser mode.
import type { PaneAdapters } from './connect';
import { createBrowserExcelHost } from './excel-browser';
import { createOfficeExcelHost } from './excel-office';

export const excelAdapters: PaneAdapters = {
  app: 'excel',
  office: () => ({ excel: createOfficeExcelHost() }),
  browser: (fixture) => ({ excel: createBrowserExcelHost(fixture?.workbook) }),
};
