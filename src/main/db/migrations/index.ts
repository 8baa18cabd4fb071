/**
 * Numbered migrations. Each runs once, in order, inside one transaction, and bumps
 * `PRAGMA user_version` to its number. Never edit a migration that has shipped: add one.
 */
import { sql as m001 } from './001_init';
import { sql as m002 } from './002_annotations';
import { sql as m003 } from './003_perspectives';
import { sql as m004 } from './004_trust';
import { sql as m005 } from './005_feedback';
import { sql as m006 } from './006_interop';
import { sql as m007 } from './007_talk';
import { sql as m008 } from './008_packages';
import { sql as m009 } from './009_audit';
import { sql as m010 } from './010_feedback_hold';
import { sql as m011 } from './011_supervision';
import { sql as m012 } from './012_transcription';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  { version: 1, name: 'init', sql: m001 },
  { version: 2, name: 'annotations', sql: m002 },
  { version: 3, name: 'perspectives', sql: m003 },
  { version: 4, name: 'trust', sql: m004 },
  { version: 5, name: 'feedback', sql: m005 },
  { version: 6, name: 'interop', sql: m006 },
  { version: 7, name: 'talk', sql: m007 },
  { version: 8, name: 'packages', sql: m008 },
  { version: 9, name: 'audit', sql: m009 },
  { version: 10, name: 'feedback_hold', sql: m010 },
  { version: 11, name: 'supervision', sql: m011 },
  { version: 12, name: 'transcription', sql: m012 },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
