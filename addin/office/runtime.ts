// For pages without a pane (functions.html's script, the commands page): wait for Office and
// read what those pages need from it, without touching Office.js anywhere else.

type OfficeGlobal = typeof Office;

const office = (): OfficeGlobal | undefined => (globalThis as { Office?: OfficeGlobal }).Office;

/** Runs `start` once Office is ready, or right away where office.js is absent. */
export function whenOfficeReady(start: () => void): void {
  const o = office();
  if (o?.onReady) void o.onReady(() => start());
  else start();
}

/** Office's partition key and display language, when the page runs inside Office. */
export function officeRuntimeInfo(): { partitionKey: string | null; displayLanguage: string | null } {
  const context = office()?.context;
  return { partitionKey: context?.partitionKey || null, displayLanguage: context?.displayLanguage ?? null };
}
