/** A stored entry as the service sends it (SPEC §1); every string in it is someone's client text. */
export interface LogEntry {
  timestamp: string;
  correlationId: string;
  level: 'info' | 'warning' | 'error';
  project: string;
  system: string;
  module: string;
  action: string;
  errorType?: string;
  errorCode?: number;
  errorMessage?: string;
  activeSession?: { user?: string; timestamp?: string; ipaddress?: string };
}

/** The `subscribe` filter of SPEC §3: each field exact, absent = any. */
export interface TailFilter {
  level?: string;
  project?: string;
  system?: string;
  module?: string;
  correlationId?: string;
}

export const FILTER_FIELDS = ['level', 'project', 'system', 'module', 'correlationId'] as const;
