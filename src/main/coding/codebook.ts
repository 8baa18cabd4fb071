/** The codebook: one active codebook per library, versioned; codes are retired, never removed. */
import { DEFAULT_CODEBOOK, type Codebook, type CodebookDefinition } from '../../shared/codebook';
import { AppError } from '../../shared/errors';
import type { CodebookRepo } from './repositories';

export class CodebookService {
  constructor(private readonly codebooks: CodebookRepo) {}

  /** Installs the default codebook on a new library (a write: called once when the core opens). */
  ensure(): Codebook {
    return this.codebooks.current() ?? this.codebooks.create(DEFAULT_CODEBOOK);
  }

  /** The current version. Reads only. */
  current(): Codebook {
    const cb = this.codebooks.current();
    if (cb) return cb;
    // A read-only library made before codebooks existed: the default, not stored.
    return { id: 0, versionId: 0, version: 0, definition: DEFAULT_CODEBOOK };
  }

  /** Saves an edited codebook as a new version; annotations keep the version they were made with. */
  save(definition: CodebookDefinition): Codebook {
    const current = this.ensure();
    const removed = current.definition.codes.filter(
      (c) => !definition.codes.some((n) => n.key.toUpperCase() === c.key.toUpperCase()),
    );
    if (removed.length) {
      throw new AppError(
        'INVALID_INPUT',
        `Codes are retired, not removed: ${removed.map((c) => c.key).join(', ')} ${removed.length === 1 ? 'is' : 'are'} missing. Mark ${removed.length === 1 ? 'it' : 'them'} retired instead.`,
      );
    }
    return this.codebooks.addVersion(current.id, definition);
  }
}
