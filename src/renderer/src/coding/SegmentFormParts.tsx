import type { Segment } from '../../../shared/annotations';
import type { Code, CodebookDefinition } from '../../../shared/codebook';
import { formatTime } from '../../../shared/time';
import type { Draft } from './draft';

/** Codebook codes matching what is typed in the code field (key, label, group); ↓/↑ or a click chooses. */
export function CodeSuggestions(props: { id: string; active: number; matches: Code[]; onPick: (c: Code) => void }) {
  const { id, active, matches, onPick } = props;
  if (matches.length === 0) return null;
  return (
    <ul className="suggestions" id={id} role="listbox" aria-label="Matching codes">
      {matches.map((c, i) => (
        <li
          key={c.key}
          id={`${id}-${i}`}
          role="option"
          aria-selected={i === active}
          className={i === active ? 'active' : undefined}
          title={c.description}
          // The field keeps the focus: a press picks without blurring it.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(c)}
        >
          <span className="swatch" style={{ background: c.color }} /> <strong>{c.key}</strong> {c.label}
          {c.group && <span className="muted"> · {c.group}</span>}
          {c.quickKey && <kbd className="quick">{c.quickKey.toUpperCase()}</kbd>}
        </li>
      ))}
    </ul>
  );
}

/** A repair's stage reached and the ruptures it addresses. */
export function RepairFields(props: {
  draft: Draft;
  onChange: (d: Draft) => void;
  stages: CodebookDefinition['stages'];
  ruptures: Segment[];
}) {
  const { draft, onChange, stages, ruptures } = props;
  return (
    <div className="form-row">
      <label>
        Stage reached
        <select
          aria-label="Stage reached"
          value={draft.stage ?? ''}
          onChange={(e) => onChange({ ...draft, stage: e.target.value || null })}
        >
          <option value="">not rated</option>
          {stages.map((s) => (
            <option key={s.key} value={s.key}>
              {s.key} {s.label}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="links" aria-label="Addresses ruptures">
        <legend>Addresses</legend>
        {ruptures.length === 0 && <span className="muted">no ruptures marked yet</span>}
        {ruptures.map((r) => (
          <label key={r.id}>
            <input
              type="checkbox"
              checked={draft.linkedRuptureIds.includes(r.id)}
              onChange={(e) =>
                onChange({
                  ...draft,
                  linkedRuptureIds: e.target.checked
                    ? [...draft.linkedRuptureIds, r.id]
                    : draft.linkedRuptureIds.filter((x) => x !== r.id),
                })
              }
            />
            {r.codes.join('+') || 'rupture'} at {formatTime(r.startMs, false)}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
