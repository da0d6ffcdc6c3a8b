// Registers Leadpane's custom functions with Excel. The functions themselves (addin/functions/)
// are plain async functions that throw a FunctionError; this turns those into
// CustomFunctions.Error so a cell shows #VALUE! / #N/A with our message.

/** The error kinds a cell can show; a subset of CustomFunctions.ErrorCode. */
export type CellErrorKind = 'invalidValue' | 'notAvailable' | 'invalidNumber' | 'nullReference' | 'busy';

interface CustomFunctionsApi {
  associate(id: string, fn: (...args: never[]) => unknown): void;
  Error: new (code: string, message?: string) => Error;
  ErrorCode: Record<string, string>;
}

/** The CustomFunctions global of a shared or JavaScript-only runtime, or null in a plain page. */
export function customFunctionsApi(): CustomFunctionsApi | null {
  const api = (globalThis as { CustomFunctions?: CustomFunctionsApi }).CustomFunctions;
  return api && typeof api.associate === 'function' ? api : null;
}

/** An error a custom function reports to its cell. */
export interface CellErrorLike {
  cellError: CellErrorKind;
  message: string;
}

function isCellError(error: unknown): error is CellErrorLike {
  return typeof error === 'object' && error !== null && 'cellError' in error;
}

/**
 * Associates each id of functions.json with its implementation. Answers false outside a
 * custom-functions runtime (a browser tab), where there is nothing to register.
 */
export function registerCustomFunctions(
  implementations: Record<string, (...args: never[]) => Promise<unknown>>,
  api: CustomFunctionsApi | null = customFunctionsApi(),
): boolean {
  if (!api) return false;
  for (const [id, fn] of Object.entries(implementations)) {
    api.associate(id, async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (error) {
        if (isCellError(error)) {
          throw new api.Error(api.ErrorCode[error.cellError] ?? api.ErrorCode.notAvailable ?? '#N/A', error.message);
        }
        throw new api.Error(api.ErrorCode.notAvailable ?? '#N/A', error instanceof Error ? error.message : String(error));
      }
    });
  }
  return true;
}
