/**
 * 008: rating packages. Each package this library sent, opened, returned or imported, by its id,
 * so that opening or importing the same file twice changes nothing, and a return is accepted
 * only for a package this library sent.
 */
export const sql = `
CREATE TABLE packages (
  id INTEGER PRIMARY KEY,
  package_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('sent', 'opened', 'returned', 'imported')),
  study_id TEXT NOT NULL,
  source_package_id TEXT,
  rater_id INTEGER REFERENCES raters(id) ON DELETE SET NULL,
  sessions_json TEXT NOT NULL DEFAULT '{}',
  report_json TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX packages_source ON packages(source_package_id);
`;
