import { registerLeadpaneFunctions } from '../functions/register';
import { excelAdapters } from '../office/excel-adapters';
import { loadI18n } from '../ui/i18n/load';
import { startPane } from '../ui/start';
import { ExcelApp } from './ExcelApp';

void startPane(excelAdapters, () => <ExcelApp />).then(async (pane) => {
  // Shared runtime: this page is also the custom functions' page, so it registers them.
  if (pane.host.info.mode === 'office') {
    registerLeadpaneFunctions(pane.client, await loadI18n(pane.host.info.displayLanguage()));
  }
});
