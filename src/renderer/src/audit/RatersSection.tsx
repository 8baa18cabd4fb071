import { useCallback, useEffect, useState } from 'react';
import type { Rater } from '../../../shared/annotations';
import { api, errorMessage } from '../api';
import { ConfirmInline } from '../ui/ConfirmInline';

/**
 * Erasing a rater (a supervisor's): says what goes — all their work in every session — and asks
 * before anything is erased. The rater at the machine cannot erase themselves.
 */
export function RatersSection({ onChanged }: { onChanged: () => void }) {
  const [raters, setRaters] = useState<Rater[]>([]);
  const [me, setMe] = useState<Rater | null>(null);
  const [asking, setAsking] = useState<{ id: number; words: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    Promise.all([api.call('raters:list', {}), api.call('raters:current', {})]).then(
      ([r, c]) => {
        setRaters(r.filter((x) => !x.consensus));
        setMe(c);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);
  useEffect(reload, [reload]);
  const ask = (r: Rater) =>
    api.call('raters:deleteImpact', { id: r.id }).then(
      ({ words }) => setAsking({ id: r.id, words }),
      (e: unknown) => setError(errorMessage(e)),
    );
  const erase = (r: Rater) =>
    api.call('raters:delete', { id: r.id }).then(
      () => {
        setMessage(`Erased ${r.name} and their work.`);
        setAsking(null);
        reload();
        onChanged();
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  return (
    <section className="packages-section" aria-labelledby="raters-heading">
      <h2 id="raters-heading">Erase a rater</h2>
      <p className="muted small">
        Erasing a rater erases all their work in every session, for good. Export what you need first.
      </p>
      {message && <p role="status">{message}</p>}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      <table className="packages-table">
        <tbody>
          {raters.map((r) => (
            <tr key={r.id}>
              <th scope="row">{r.name}</th>
              <td>{r.role}</td>
              <td>
                {asking?.id === r.id ? (
                  <ConfirmInline
                    label={`Confirm erasing ${r.name}`}
                    text={asking.words}
                    action="Erase"
                    cancel="Keep"
                    onConfirm={() => void erase(r)}
                    onCancel={() => setAsking(null)}
                  />
                ) : me?.id === r.id ? (
                  <span className="muted small">(you)</span>
                ) : (
                  <button type="button" onClick={() => void ask(r)} aria-label={`Erase ${r.name}…`}>
                    Erase…
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
