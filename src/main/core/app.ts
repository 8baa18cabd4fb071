/**
 * The core, assembled: database, repositories and services for one data folder. Every host
 * (Electron, browser host, CLI, tests) builds exactly this.
 */
import path from 'node:path';
import type { EventMap, EventName } from '../../shared/contract';
import { openDatabase, type Db } from '../db/open';
import { createAnnotationRepos } from '../db/annotation-repos';
import { createRepos, type Repos } from '../db/repositories';
import { AnnotationService } from './annotations';
import { ImportService } from './imports';
import { LibraryService } from './library';
import { ResponseService } from './responses';

export type Emit = <E extends EventName>(event: E, payload: EventMap[E]) => void;

export interface Core {
  dataDir: string;
  db: Db;
  repos: Repos;
  library: LibraryService;
  imports: ImportService;
  annotations: AnnotationService;
  responses: ResponseService;
  close(): void;
}

export interface CoreOptions {
  dataDir: string;
  nativeBinding?: string;
  emit?: Emit;
}

export function createCore(options: CoreOptions): Core {
  const db = openDatabase(options.dataDir, { nativeBinding: options.nativeBinding });
  const repos = createRepos(db);
  const library = new LibraryService(repos);
  const emit: Emit = options.emit ?? (() => undefined);
  const imports = new ImportService(repos, library, path.join(options.dataDir, 'media'), {
    progress: (job) => emit('import:progress', job),
    finished: (job, recording, error) => emit('import:finished', { job, recording, error }),
  });
  const annotations = new AnnotationService(db, createAnnotationRepos(db), library);
  annotations.ensureCodebook();
  const responses = new ResponseService(db, library, annotations);
  responses.ensureInstruments();
  return {
    dataDir: options.dataDir,
    db,
    repos,
    library,
    imports,
    annotations,
    responses,
    close: () => db.close(),
  };
}

/**
 * Where data lives when nobody says: $ALLIANCE_REVIEW_DATA_DIR, else the platform's
 * application-data folder.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.ALLIANCE_REVIEW_DATA_DIR) return path.resolve(env.ALLIANCE_REVIEW_DATA_DIR);
  const home = env.HOME ?? env.USERPROFILE ?? '.';
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Alliance Review');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Alliance Review');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'alliance-review');
}
