import { registerLeadpaneFunctions } from '../functions/register';
import { createI18n } from '../ui/i18n';
import { startPane } from '../ui/start';
import { ExcelApp } from './ExcelApp';

void startPane('excel', () => <ExcelApp />).then((pane) => {
  // Shared runtime: this page is also the custom functions' page, so it registers them.
  if (pane.host.info.mode === 'office') {
    registerLeadpaneFunctions(pane.client, createI18n(pane.host.info.displayLanguage()));
  }
});
