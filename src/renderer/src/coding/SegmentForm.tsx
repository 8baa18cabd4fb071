import { originText } from '../interop/origin';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { RuptureType, Segment, SegmentKind } from '../../../shared/annotations';
import type { Code, CodebookDefinition } from '../../../shared/codebook';
import { formatTime, parseTime } from '../../../shared/time';
import { CodeSuggestions, RepairFields } from './SegmentFormParts';
import { matchCodes } from './code-matches';
import type { Draft } from './draft';

interface Props {
  draft: Draft;
  codebook: CodebookDefinition;
  /** The rater's ruptures, for linking a repair. */
  ruptures: Segment[];
  onSave: (d: Draft) => void;
  onCancel: () => void;
  onDelete?: () => void;
  /** Whether the form takes the focus when it opens (not for a mark just closed: see useCoding). */
  focus?: boolean;
  /** A mark stored a moment ago: closing the form keeps it ("Close", not "Cancel"). */
  fresh?: boolean;
  /** The codebook's quick keys: a digit among them is a mark, never the form's rating. */
  quickKeys?: Set<string>;
}

const KIND_TITLE: Record<SegmentKind, string> = { rupture: 'Rupture', repair: 'Repair', comment: 'Comment' };

/**
 * The compact form that opens when a segment is closed, drawn or double-clicked: the segment is
 * already stored, the form adds details. Type a code (W2, a label, a group) and the matching codes
 * show; ↓/↑ choose, Enter adds; 1–5 set the rating; Enter on an empty code field saves; Esc
 * closes. Inline, never modal, and it lets every key it does not use reach the player.
 */
export function SegmentForm(props: Props) {
  const { draft: initial, codebook, ruptures, onSave, onCancel, onDelete, focus = true, fresh = false } = props;
  const quickKeys = props.quickKeys;
  const [d, setD] = useState<Draft>(initial);
  const [typed, setTyped] = useState('');
  const [start, setStart] = useState(formatTime(initial.startMs));
  const [end, setEnd] = useState(formatTime(initial.endMs));
  const [problem, setProblem] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const codeRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  // What had the focus before the form took it (read while rendering, before autoFocus moves it).
  const [openerEl] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  // When the form takes the focus, it gives it back on closing to where it came from (a segment
  // on its lane, a list row), or else to the segment's box, never to the page.
  useEffect(() => {
    if (!focus) return;
    const opener = openerEl;
    const form = formRef.current;
    const id = initial.id;
    return () => {
      const now = document.activeElement;
      if (now && now !== document.body && !form?.contains(now)) return;
      requestAnimationFrame(() => {
        if (!opener || opener === document.body || form?.contains(opener)) {
          // Opened from the player (Enter, a double-click): the keys go back to the player.
          if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
        } else if (opener.isConnected) opener.focus();
        else document.querySelector<HTMLElement>(`.lane.mine .seg[data-id="${id}"], .lane.mine .seg.selected`)?.focus();
      });
    };
  }, [focus, initial.id, openerEl]);
  const kind = d.kind;
  const categories = kind === 'rupture' ? ['withdrawal', 'confrontation'] : kind === 'repair' ? ['repair'] : [];
  const usable = codebook.codes.filter(
    (c) => categories.includes(c.category) && (!c.retired || d.codes.includes(c.key)),
  );
  const tags = codebook.codes.filter((c) => c.category === 'intervention' && (!c.retired || d.tags.includes(c.key)));
  const matches = useMemo(() => matchCodes(usable, typed), [typed, usable]);
  const listId = `code-matches-${initial.id ?? 'new'}`;
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
    if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && matches.length) {
      e.preventDefault();
      e.stopPropagation();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + matches.length) % matches.length);
      return;
    }
    if (e.key !== 'Enter') return;
    e.preventDefault();
    e.stopPropagation();
    const q = typed.trim().toUpperCase();
    if (!q) return save();
    const exact = usable.find((c) => c.key.toUpperCase() === q) ?? matches[active] ?? matches[0];
    if (!exact) return setProblem(`${q} is not a ${kind === 'repair' ? 'strategy' : 'marker'} in the codebook.`);
    if (!d.codes.includes(exact.key)) toggleCode(exact);
    setTyped('');
    setActive(0);
    setProblem(null);
  };

  // The form keeps only the keys it uses; every other key reaches the player (marks, playback).
  const onFormKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
      return;
    }
    const target = e.target as HTMLElement;
    const typing = target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT';
    if (
      e.key === 'Enter' &&
      target.tagName !== 'TEXTAREA' &&
      target !== codeRef.current &&
      target.tagName !== 'BUTTON'
    ) {
      e.preventDefault();
      e.stopPropagation();
      save();
      return;
    }
    // Digits set the rating, unless typing in a text field or the digit is a quick key.
    if (/^[1-5]$/.test(e.key) && !typing && kind !== 'comment' && !quickKeys?.has(e.key)) {
      e.stopPropagation();
      setD((p) => ({ ...p, rating: Number(e.key) }));
    }
  };

  return (
    <form
      ref={formRef}
      className={`segment-form kind-${kind}`}
      aria-label={`${fresh || initial.id === null ? 'New' : 'Edit'} ${kind}`}
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
        <button type="button" onClick={onCancel} title={fresh ? 'Close the form; the mark stays' : undefined}>
          {fresh ? 'Close' : 'Cancel'}
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
              onChange={(e) => {
                setTyped(e.target.value);
                setActive(0);
              }}
              onKeyDown={onCodeKey}
              role="combobox"
              aria-expanded={matches.length > 0}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={matches.length ? `${listId}-${active}` : undefined}
              autoFocus={focus}
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
                >
                  {k} {c?.label} ×<span className="sr-only"> (remove)</span>
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
        id={listId}
        active={active}
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
          >
            {codebook.codes.find((c) => c.key === k)?.label ?? k} ×<span className="sr-only"> (remove tag)</span>
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
            autoFocus={focus && kind === 'comment'}
          />
        </label>
        {kind === 'comment' && d.id !== null && (
          <label className="checkbox">
            <input type="checkbox" checked={d.resolved} onChange={(e) => setD({ ...d, resolved: e.target.checked })} />
            Resolved
          </label>
        )}
      </div>
      {fresh && !focus && kind !== 'comment' && (
        <p className="muted small form-hint">
          Stored{d.codes.length ? '' : ', not coded yet'}. Enter adds codes; Esc closes (the mark stays); the next mark
          key marks on.
        </p>
      )}
      {d.origin && <p className="muted small origin-line">{originText(d.origin)}</p>}
      {problem && (
        <div className="inline-error" role="alert">
          {problem}
        </div>
      )}
    </form>
  );
}
