import { registerLeadpaneFunctions } from '../functions/register';
import { excelAdapters } from '../office/excel-adapters';
import { startPane } from '../ui/start';
import { ExcelApp } from './ExcelApp';

void startPane(excelAdapters, () => <ExcelApp />).then(({ pane, i18n }) => {
  // Shared runtime: this page is also the custom functions' page, so it registers them.
  if (pane.host.info.mode === 'office') {
    registerLeadpaneFunctions(pane.client, i18n);
  }
});
