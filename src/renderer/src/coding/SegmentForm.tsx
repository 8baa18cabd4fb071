import { originText } from '../interop/origin';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { RuptureType, Segment, SegmentKind } from '../../../shared/annotations';
import type { Code, CodebookDefinition } from '../../../shared/codebook';
import { formatTime, parseTime } from '../../../shared/time';
import { CodeSuggestions, RepairFields } from './SegmentFormParts';
import type { Draft } from './draft';

interface Props {
  draft: Draft;
  codebook: CodebookDefinition;
  /** The rater's ruptures, for linking a repair. */
  ruptures: Segment[];
  onSave: (d: Draft) => void;
  onCancel: () => void;
  onDelete?: () => void;
}

const KIND_TITLE: Record<SegmentKind, string> = { rupture: 'Rupture', repair: 'Repair', comment: 'Comment' };

/**
 * The compact form that opens when a segment is closed, drawn or double-clicked. Type a code
 * (W2, R4 …) and Enter to add it; 1–5 set the rating; Enter on an empty code field saves; Esc
 * cancels. Inline, never modal.
 */
export function SegmentForm({ draft: initial, codebook, ruptures, onSave, onCancel, onDelete }: Props) {
  const [d, setD] = useState<Draft>(initial);
  const [typed, setTyped] = useState('');
  const [start, setStart] = useState(formatTime(initial.startMs));
  const [end, setEnd] = useState(formatTime(initial.endMs));
  const [problem, setProblem] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  const kind = d.kind;
  const categories = kind === 'rupture' ? ['withdrawal', 'confrontation'] : kind === 'repair' ? ['repair'] : [];
  const usable = codebook.codes.filter(
    (c) => categories.includes(c.category) && (!c.retired || d.codes.includes(c.key)),
  );
  const tags = codebook.codes.filter((c) => c.category === 'intervention' && (!c.retired || d.tags.includes(c.key)));
  const matches = useMemo(() => {
    const q = typed.trim().toUpperCase();
    if (!q) return [];
    return usable.filter((c) => c.key.toUpperCase().startsWith(q) || c.label.toUpperCase().includes(q)).slice(0, 6);
  }, [typed, usable]);
  const linkedTypes = ruptures.filter((r) => d.linkedRuptureIds.includes(r.id)).map((r) => r.ruptureType);
  const stages = codebook.stages.filter(
    (s) => s.model === 'general' || linkedTypes.length === 0 || linkedTypes.some((t) => t === s.model || t === 'both'),
  );

  const toggleCode = (c: Code) =>
    setD((p) => ({ ...p, codes: p.codes.includes(c.key) ? p.codes.filter((k) => k !== c.key) : [...p.codes, c.key] }));

  const save = () => {
    const s = parseTime(start);
    const e = kind === 'comment' && end.trim() === '' ? s : parseTime(end);
    if (s === null || e === null) return setProblem('Times look like 00:12:31.480.');
    if (kind === 'comment' && !d.note.trim()) return setProblem('Write the comment first.');
    onSave({ ...d, startMs: s, endMs: e });
  };

  const onCodeKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    e.stopPropagation();
    const q = typed.trim().toUpperCase();
    if (!q) return save();
    const exact = usable.find((c) => c.key.toUpperCase() === q) ?? matches[0];
    if (!exact) return setProblem(`${q} is not a ${kind === 'repair' ? 'strategy' : 'marker'} in the codebook.`);
    if (!d.codes.includes(exact.key)) toggleCode(exact);
    setTyped('');
    setProblem(null);
  };

  const onFormKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
      return;
    }
    const target = e.target as HTMLElement;
    if (
      e.key === 'Enter' &&
      target.tagName !== 'TEXTAREA' &&
      target !== codeRef.current &&
      target.tagName !== 'BUTTON'
    ) {
      e.preventDefault();
      save();
    }
    // Digits set the rating, unless typing in a text field.
    if (/^[1-5]$/.test(e.key) && target.tagName !== 'INPUT' && target.tagName !== 'TEXTAREA' && kind !== 'comment') {
      setD((p) => ({ ...p, rating: Number(e.key) }));
    }
    e.stopPropagation();
  };

  return (
    <form
      className={`segment-form kind-${kind}`}
      aria-label={`${initial.id ? 'Edit' : 'New'} ${kind}`}
      onKeyDown={onFormKey}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="form-row">
        {initial.id === null ? (
          <label>
            New
            <select
              aria-label="Segment type"
              value={kind}
              onChange={(e) =>
                setD({ ...d, kind: e.target.value as SegmentKind, codes: [], rating: null, stage: null })
              }
            >
              <option value="rupture">rupture</option>
              <option value="repair">repair</option>
              <option value="comment">comment</option>
            </select>
          </label>
        ) : (
          <strong>{KIND_TITLE[kind]}</strong>
        )}
        <label>
          From
          <input className="time tabular" aria-label="Start" value={start} onChange={(e) => setStart(e.target.value)} />
        </label>
        <label>
          to
          <input className="time tabular" aria-label="End" value={end} onChange={(e) => setEnd(e.target.value)} />
        </label>
        {kind === 'rupture' && (
          <label>
            Type
            <select
              aria-label="Rupture type"
              value={d.ruptureType ?? ''}
              onChange={(e) => setD({ ...d, ruptureType: (e.target.value || null) as RuptureType | null })}
            >
              <option value="">from the markers</option>
              <option value="withdrawal">withdrawal</option>
              <option value="confrontation">confrontation</option>
              <option value="both">both</option>
            </select>
          </label>
        )}
        <span className="spacer" />
        {onDelete && (
          <button type="button" className="danger" onClick={onDelete}>
            Delete
          </button>
        )}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary">
          Save
        </button>
      </div>
      {kind !== 'comment' && (
        <div className="form-row">
          <label className="code-input">
            {kind === 'rupture' ? 'Markers' : 'Strategies'}
            <input
              ref={codeRef}
              aria-label={kind === 'rupture' ? 'Marker code' : 'Strategy code'}
              placeholder={kind === 'rupture' ? 'type W2, C1 … then Enter' : 'type R4 … then Enter'}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              onKeyDown={onCodeKey}
              autoFocus
            />
          </label>
          <div className="chips" aria-label="Chosen codes">
            {d.codes.map((k) => {
              const c = codebook.codes.find((x) => x.key === k);
              return (
                <button
                  type="button"
                  key={k}
                  className="chip"
                  style={{ ['--seg' as string]: c?.color ?? '#888' }}
                  title={c?.description}
                  onClick={() => c && toggleCode(c)}
                  aria-label={`Remove ${k}`}
                >
                  {k} {c?.label} ×
                </button>
              );
            })}
          </div>
          <fieldset className="rating" aria-label={kind === 'rupture' ? 'Significance' : 'Resolution'}>
            <legend>{kind === 'rupture' ? 'Significance' : 'Resolution'}</legend>
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} title={codebook.scale.find((s) => s.value === n)?.label}>
                <input type="radio" name="rating" checked={d.rating === n} onChange={() => setD({ ...d, rating: n })} />
                {n}
              </label>
            ))}
          </fieldset>
        </div>
      )}
      <CodeSuggestions
        matches={matches}
        onPick={(c) => {
          if (!d.codes.includes(c.key)) toggleCode(c);
          setTyped('');
          codeRef.current?.focus();
        }}
      />
      {kind === 'repair' && <RepairFields draft={d} onChange={setD} stages={stages} ruptures={ruptures} />}
      <div className="form-row">
        {kind !== 'comment' && tags.length > 0 && (
          <label>
            Intervention
            <select
              aria-label="Add intervention tag"
              value=""
              onChange={(e) => e.target.value && setD({ ...d, tags: [...new Set([...d.tags, e.target.value])] })}
            >
              <option value="">add a tag…</option>
              {tags.map((t) => (
                <option key={t.key} value={t.key} title={t.description}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {d.tags.map((k) => (
          <button
            type="button"
            className="chip"
            key={k}
            onClick={() => setD({ ...d, tags: d.tags.filter((t) => t !== k) })}
            aria-label={`Remove tag ${k}`}
          >
            {codebook.codes.find((c) => c.key === k)?.label ?? k} ×
          </button>
        ))}
        <label className="grow">
          {kind === 'comment' ? 'Comment' : 'Note'}
          <textarea
            aria-label={kind === 'comment' ? 'Comment' : 'Note'}
            rows={kind === 'comment' ? 2 : 1}
            value={d.note}
            onChange={(e) => setD({ ...d, note: e.target.value })}
            // Enter saves, as everywhere in the form; Shift+Enter starts a new line.
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
            autoFocus={kind === 'comment'}
          />
        </label>
        {kind === 'comment' && d.id !== null && (
          <label className="checkbox">
            <input type="checkbox" checked={d.resolved} onChange={(e) => setD({ ...d, resolved: e.target.checked })} />
            Resolved
          </label>
        )}
      </div>
      {d.origin && <p className="muted small origin-line">{originText(d.origin)}</p>}
      {problem && (
        <div className="inline-error" role="alert">
          {problem}
        </div>
      )}
    </form>
  );
}
