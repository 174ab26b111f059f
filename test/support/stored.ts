import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A stored entry (SPEC §1 "stored / broadcast"). */
export interface StoredEntry {
  timestamp: string;
  correlationId: string;
  level: string;
  project: string;
  system: string;
  module: string;
  action: string;
  errorType?: string;
  errorCode?: number;
  errorMessage?: string;
  activeSession: { user: string; timestamp: string; ipaddress: string };
}

export interface StoredFile {
  /** File name inside LOG_DIR, e.g. `2026-01-21.jsonl`. */
  name: string;
  entries: StoredEntry[];
  /** Lines that are not a JSON object (a torn last line after kill -9, say). */
  unparseable: string[];
}

const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl$/;

/** Every `YYYY-MM-DD.jsonl` of `logDir`, oldest day first, each line parsed. */
export async function readStoredFiles(logDir: string): Promise<StoredFile[]> {
  const names = (await readdir(logDir)).filter((n) => DAY_FILE.test(n)).sort();
  const files: StoredFile[] = [];
  for (const name of names) {
    const file: StoredFile = { name, entries: [], unparseable: [] };
    for (const line of (await readFile(join(logDir, name), 'utf8')).split('\n')) {
      if (line === '') continue;
      const parsed = parseObject(line);
      if (parsed) file.entries.push(parsed as unknown as StoredEntry);
      else file.unparseable.push(line);
    }
    files.push(file);
  }
  return files;
}

/** All stored entries of `logDir` in file order; throws on any line that is not a JSON object. */
export async function readStored(logDir: string): Promise<StoredEntry[]> {
  const files = await readStoredFiles(logDir);
  const bad = files.flatMap((f) => f.unparseable.map((line) => `${f.name}: ${line.slice(0, 200)}`));
  if (bad.length > 0) throw new Error(`unparseable stored lines:\n${bad.join('\n')}`);
  return files.flatMap((f) => f.entries);
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Stored entries grouped by correlationId (a list, so duplicates show). */
export function byCorrelationId(entries: readonly StoredEntry[]): Map<string, StoredEntry[]> {
  const index = new Map<string, StoredEntry[]>();
  for (const entry of entries) {
    const list = index.get(entry.correlationId);
    if (list) list.push(entry);
    else index.set(entry.correlationId, [entry]);
  }
  return index;
}
