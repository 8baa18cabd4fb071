/** Raters (people with a role, their perspective), the current rater, and coding preferences. */
import type { Rater, Role } from '../../shared/annotations';
import { AppError } from '../../shared/errors';
import type { RaterRepo, SettingsRepo } from './repositories';
import type { Policy } from '../rpc/policy';

export class RaterService {
  constructor(
    private readonly raters: RaterRepo,
    private readonly settings: SettingsRepo,
    private readonly policy: Policy,
  ) {}

  list(): Rater[] {
    return this.raters.list();
  }

  get(id: number): Rater {
    const r = this.raters.get(id);
    if (!r) throw new AppError('NOT_FOUND', 'That rater no longer exists.');
    return r;
  }

  create(name: string, role: Role): Rater {
    if (this.raters.byName(name)) throw new AppError('DUPLICATE', `There is already a rater called ${name}.`);
    return this.raters.insert(name, role);
  }

  /** Finds a person by name, creating them with `role` when new (imports). */
  ensure(name: string, role: Role): Rater {
    const found = this.raters.byName(name);
    if (found?.consensus)
      throw new AppError('INVALID_INPUT', `"${name}" is the consensus lane's name; choose the name of a person.`);
    return found ?? this.raters.insert(name, role);
  }

  current(): Rater | null {
    const id = Number(this.settings.get('currentRaterId'));
    const r = (id && this.raters.get(id)) || null;
    return r && !r.consensus ? r : null;
  }

  setCurrent(id: number): Rater {
    const rater = this.policy.assertCanActAs(id);
    this.settings.set('currentRaterId', String(id));
    return rater;
  }

  /** The consensus lane's row, created on first use under a name no person has. */
  consensusLane(): Rater {
    const found = this.raters.consensus();
    if (found) return found;
    let name = 'Consensus';
    for (let n = 2; this.raters.byName(name); n++) name = `Consensus (${n})`;
    return this.raters.insert(name, 'supervisor', true);
  }

  preferences(): { pauseWhileCoding: boolean } {
    return { pauseWhileCoding: this.settings.get('pauseWhileCoding') === '1' };
  }

  setPreferences(p: { pauseWhileCoding: boolean }): { pauseWhileCoding: boolean } {
    this.settings.set('pauseWhileCoding', p.pauseWhileCoding ? '1' : '0');
    return this.preferences();
  }
}
