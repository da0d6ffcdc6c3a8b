// functions.js: a classic script (built as an IIFE) for functions.html, the page of a
// JavaScript-only custom-functions runtime. With the shared runtime (our manifest), the Excel
// pane's page registers the same functions itself and this file is not loaded.
import { createPaneClient } from '../api/client';
import { createPartitionedStorage } from '../office/host-info';
import { officeRuntimeInfo, whenOfficeReady } from '../office/runtime';
import { createI18n } from '../ui/i18n';
import { registerLeadpaneFunctions } from './register';

whenOfficeReady(() => {
  const { partitionKey, displayLanguage } = officeRuntimeInfo();
  const i18n = createI18n(displayLanguage ?? globalThis.navigator?.language);
  registerLeadpaneFunctions(createPaneClient(createPartitionedStorage(partitionKey)), i18n);
});
