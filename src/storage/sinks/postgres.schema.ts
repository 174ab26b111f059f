/**
 * The `postgres` sink's table (SPEC §5) and its statements. The DDL is one simple-protocol query,
 * so one implicit transaction (rolled back whole on error), that first takes an advisory lock:
 * instances starting together create the table and indexes one after the other and the later
 * ones find them (IF NOT EXISTS alone can race on the catalog).
 *
 * `entry` holds the stored entry; jsonb keeps its values but not its key order, so a reader that
 * must show SPEC order rebuilds it (or reads `entry_id` order-free). The indexes serve the §4
 * filters (correlationId, project, system, module, level, from/to) newest first; `entry_id` is
 * the stable id of EntryGroup, unique so that a replay stores nothing twice.
 */
export const SCHEMA_LOCK_KEY = 0x6c6f675f656e7472n; // "log_entr"

export const CREATE_SCHEMA_SQL = `
SELECT pg_advisory_xact_lock(${SCHEMA_LOCK_KEY});
CREATE TABLE IF NOT EXISTS log_entries (
  id bigserial PRIMARY KEY,
  entry jsonb NOT NULL,
  ts timestamptz,
  correlation_id text NOT NULL,
  level text NOT NULL,
  project text NOT NULL,
  system text NOT NULL,
  module text NOT NULL,
  entry_id text NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS log_entries_entry_id_key ON log_entries (entry_id);
CREATE INDEX IF NOT EXISTS log_entries_ts_idx ON log_entries (ts DESC, id DESC);
CREATE INDEX IF NOT EXISTS log_entries_correlation_id_idx ON log_entries (correlation_id, ts DESC);
CREATE INDEX IF NOT EXISTS log_entries_project_idx ON log_entries (project, ts DESC);
CREATE INDEX IF NOT EXISTS log_entries_system_idx ON log_entries (system, ts DESC);
CREATE INDEX IF NOT EXISTS log_entries_module_idx ON log_entries (module, ts DESC);
CREATE INDEX IF NOT EXISTS log_entries_level_idx ON log_entries (level, ts DESC);
`;

/**
 * One statement per write: $1 the entries and $2 their ids, each joined by newlines (a serialized
 * entry never holds a raw newline), so the driver sends two strings instead of escaping an array
 * element per entry. `ts` is NULL for the few RFC 3339 times timestamptz cannot hold (year 0000,
 * offsets beyond ±15:59) rather than failing the whole group forever; `id` follows entry order.
 */
export const INSERT_SQL = `
INSERT INTO log_entries (entry, ts, correlation_id, level, project, system, module, entry_id)
SELECT e,
  CASE WHEN left(e->>'timestamp', 4) <> '0000'
        AND (right(e->>'timestamp', 1) IN ('Z', 'z') OR substr(e->>'timestamp', length(e->>'timestamp') - 4, 2) <= '15')
       THEN (e->>'timestamp')::timestamptz END,
  e->>'correlationId', e->>'level', e->>'project', e->>'system', e->>'module', entry_id
FROM (
  SELECT line::jsonb AS e, entry_id, n
  FROM unnest(string_to_array($1, E'\\n'), string_to_array($2, E'\\n')) WITH ORDINALITY AS t(line, entry_id, n)
) AS rows
ORDER BY n
ON CONFLICT (entry_id) DO NOTHING
`;
