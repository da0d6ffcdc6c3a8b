// Where an unfinished import stands, kept in the pane's storage so a closed pane resumes it. Apart
// from the import engine, so the Import tab's first screen can ask without loading the engine.
import type { KeyValueStorage } from '../../office/types';

export const RESUME_KEY = 'import.resume';

export interface ResumeState {
  fingerprint: string;
  importId: string;
  lastChunk: number;
}

export function pendingResume(storage: KeyValueStorage): ResumeState | null {
  try {
    const s = JSON.parse(storage.get(RESUME_KEY) ?? 'null') as ResumeState | null;
    return s && typeof s.importId === 'string' ? s : null;
  } catch {
    return null;
  }
}

export function clearResume(storage: KeyValueStorage): void {
  storage.remove(RESUME_KEY);
}
