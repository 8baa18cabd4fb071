import { useState } from 'react';
import { ROLES, type Rater, type Role } from '../../../shared/annotations';

/** Who is rating on this machine: every annotation carries its rater. */
export function RaterPicker(props: {
  raters: Rater[];
  current: Rater | null;
  onChoose: (id: number) => void;
  onCreate: (name: string, role: Role) => void;
}) {
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  // No default role: the role decides what a rater sees (a supervisor sees everyone's submitted
  // work), so a new "Patient" must never become a supervisor by not touching the menu.
  const [role, setRole] = useState<Role | ''>('');
  const [problem, setProblem] = useState<string | null>(null);
  if (adding || props.raters.length === 0) {
    return (
      <form
        className="rater-picker"
        aria-label="New rater"
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return setProblem('Enter a name or pseudonym.');
          if (!role) return setProblem('Choose the role: it decides what this rater sees.');
          props.onCreate(name.trim(), role);
          setAdding(false);
          setName('');
          setRole('');
          setProblem(null);
        }}
      >
        <input
          aria-label="Rater name"
          placeholder="Your name or initials"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <option value="" disabled>
            role…
          </option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button type="submit" className="primary">
          Start rating
        </button>
        {props.raters.length > 0 && (
          <button type="button" onClick={() => setAdding(false)}>
            Cancel
          </button>
        )}
        {problem && (
          <span className="inline-error compact" role="alert">
            {problem}
          </span>
        )}
      </form>
    );
  }
  return (
    <label className="rater-picker">
      <span className="muted">Rating as</span>
      <select
        aria-label="Current rater"
        value={props.current?.id ?? ''}
        onChange={(e) => (e.target.value === 'new' ? setAdding(true) : props.onChoose(Number(e.target.value)))}
      >
        {!props.current && <option value="">choose…</option>}
        {/* The consensus lane is not a person: nobody rates as it. */}
        {props.raters
          .filter((r) => !r.consensus)
          .map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.role})
            </option>
          ))}
        <option value="new">New rater…</option>
      </select>
    </label>
  );
}
