/**
 * The player's keys, in one table: the keyboard handler finds commands here and the shortcut
 * sheet lists the same rows, so the two can never disagree.
 */
/** Playback, seeking, zoom, the typed time and blur: every screen that plays a session has these. */
export type TransportCommand =
  | 'playPause'
  | 'back1'
  | 'forward1'
  | 'back5'
  | 'forward5'
  | 'prevFrame'
  | 'nextFrame'
  | 'slower'
  | 'normalSpeed'
  | 'faster'
  | 'toStart'
  | 'toEnd'
  | 'zoomIn'
  | 'zoomOut'
  | 'zoomFit'
  | 'typeTime'
  | 'blur';

export type Command =
  | TransportCommand
  | 'markRupture'
  | 'markRepair'
  | 'markComment'
  | 'nextUnread'
  | 'nextAngle'
  | 'nextSilence'
  | 'prevSilence'
  | 'nextOverlap'
  | 'prevOverlap'
  | 'nextDisagreement'
  | 'prevDisagreement'
  | 'pickHere'
  | 'acceptPicked'
  | 'editSelected'
  | 'deleteSelected'
  | 'edgeStart'
  | 'edgeEnd'
  | 'nudgeBack'
  | 'nudgeForward'
  | 'nudgeFrameBack'
  | 'nudgeFrameForward'
  | 'undo'
  | 'redo'
  | 'help';

/** One key: `shift`/`alt`/`mod` (Ctrl or ⌘) true = required, false = must be up, absent = either. */
export interface KeyMatch {
  key: string;
  command: Command;
  shift?: boolean;
  alt?: boolean;
  mod?: boolean;
}

export interface BindingRow {
  /** How the sheet writes the keys. */
  keys: string;
  /** What they do, in the sheet's words. */
  does: string;
  /** The keys themselves (none for a mouse gesture the sheet only describes). */
  match: KeyMatch[];
}

const letter = (key: string, command: Command): KeyMatch[] => [
  { key: key.toLowerCase(), command, alt: false, mod: false },
  { key: key.toUpperCase(), command, alt: false, mod: false },
];

export const BINDINGS: BindingRow[] = [
  { keys: 'Space', does: 'Play / pause', match: [{ key: ' ', command: 'playPause', alt: false, mod: false }] },
  {
    keys: '← / →',
    does: 'Back / forward 1 s',
    match: [
      { key: 'ArrowLeft', command: 'back1', shift: false, alt: false, mod: false },
      { key: 'ArrowRight', command: 'forward1', shift: false, alt: false, mod: false },
    ],
  },
  {
    keys: 'Shift + ← / →',
    does: 'Back / forward 5 s',
    match: [
      { key: 'ArrowLeft', command: 'back5', shift: true, alt: false, mod: false },
      { key: 'ArrowRight', command: 'forward5', shift: true, alt: false, mod: false },
    ],
  },
  {
    keys: ', / .',
    does: 'Previous / next frame',
    match: [
      { key: ',', command: 'prevFrame', alt: false, mod: false },
      { key: '.', command: 'nextFrame', alt: false, mod: false },
    ],
  },
  {
    keys: 'J / K / L',
    does: 'Slower / normal speed / faster (0.5×–2×)',
    match: [...letter('j', 'slower'), ...letter('k', 'normalSpeed'), ...letter('l', 'faster')],
  },
  {
    keys: 'Home / End',
    does: 'Jump to start / end',
    match: [
      { key: 'Home', command: 'toStart', alt: false, mod: false },
      { key: 'End', command: 'toEnd', alt: false, mod: false },
    ],
  },
  {
    keys: '+ / − / 0',
    does: 'Zoom in / out / whole session',
    match: [
      { key: '+', command: 'zoomIn', alt: false },
      { key: '=', command: 'zoomIn', alt: false },
      { key: '-', command: 'zoomOut', alt: false },
      { key: '0', command: 'zoomFit', alt: false },
    ],
  },
  { keys: 'Ctrl or ⌘ + wheel', does: 'Zoom the waveform', match: [] },
  { keys: 'T', does: 'Type a time to jump to', match: letter('t', 'typeTime') },
  { keys: 'B', does: 'Blur the video (for screen sharing)', match: letter('b', 'blur') },
  {
    keys: 'R / P / C',
    does: 'Open, then close, a rupture / repair / comment at the playhead (supervisors’ and trainees’ comments are feedback)',
    match: [...letter('r', 'markRupture'), ...letter('p', 'markRepair'), ...letter('c', 'markComment')],
  },
  { keys: 'N', does: 'Next unread feedback comment', match: letter('n', 'nextUnread') },
  {
    keys: 'V',
    does: 'Show the next camera angle big (times stay on the session’s clock)',
    match: letter('v', 'nextAngle'),
  },
  {
    keys: 'S / Shift + S',
    does: 'Next / previous long silence (who speaks when)',
    match: [
      { key: 's', command: 'nextSilence', shift: false, alt: false, mod: false },
      { key: 'S', command: 'prevSilence', shift: true, alt: false, mod: false },
    ],
  },
  {
    keys: 'O / Shift + O',
    does: 'Next / previous overlapping talk',
    match: [
      { key: 'o', command: 'nextOverlap', shift: false, alt: false, mod: false },
      { key: 'O', command: 'prevOverlap', shift: true, alt: false, mod: false },
    ],
  },
  {
    keys: 'D / Shift + D',
    does: 'Comparison: play the next / previous disagreement, with 2 s either side',
    match: [
      { key: 'd', command: 'nextDisagreement', shift: false, alt: false, mod: false },
      { key: 'D', command: 'prevDisagreement', shift: true, alt: false, mod: false },
    ],
  },
  { keys: 'X', does: 'Comparison: choose the segments at the playhead', match: letter('x', 'pickHere') },
  { keys: 'A', does: 'Comparison: accept or merge the chosen into the consensus', match: letter('a', 'acceptPicked') },
  { keys: 'Shift + drag', does: 'Draw a segment on the waveform (or drag on your lane)', match: [] },
  { keys: 'Enter', does: 'Edit the selected segment', match: [{ key: 'Enter', command: 'editSelected', mod: false }] },
  {
    keys: 'Delete',
    does: 'Delete the selected segment',
    match: [
      { key: 'Delete', command: 'deleteSelected', mod: false },
      { key: 'Backspace', command: 'deleteSelected', mod: false },
    ],
  },
  {
    keys: '[ / ]',
    does: 'Choose the start / end edge of the selected segment',
    match: [
      { key: '[', command: 'edgeStart', mod: false },
      { key: ']', command: 'edgeEnd', mod: false },
    ],
  },
  {
    keys: 'Alt + ← / →',
    does: 'Nudge that edge by 100 ms (with Shift: one frame)',
    match: [
      { key: 'ArrowLeft', command: 'nudgeBack', alt: true, shift: false },
      { key: 'ArrowRight', command: 'nudgeForward', alt: true, shift: false },
      { key: 'ArrowLeft', command: 'nudgeFrameBack', alt: true, shift: true },
      { key: 'ArrowRight', command: 'nudgeFrameForward', alt: true, shift: true },
    ],
  },
  {
    keys: 'Ctrl/⌘ + Z',
    does: 'Undo (with Shift: redo)',
    match: [
      { key: 'z', command: 'undo', mod: true, shift: false },
      { key: 'Z', command: 'undo', mod: true, shift: false },
      { key: 'z', command: 'redo', mod: true, shift: true },
      { key: 'Z', command: 'redo', mod: true, shift: true },
      { key: 'y', command: 'redo', mod: true },
    ],
  },
  { keys: 'Esc', does: 'Drop an open segment or close a form', match: [] },
  { keys: '?', does: 'Show or hide this sheet', match: [{ key: '?', command: 'help', alt: false, mod: false }] },
];

const ARROWS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'];

const ALL: KeyMatch[] = BINDINGS.flatMap((row) => row.match);

/** The command a key press means, or null. */
export function commandFor(
  e: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'altKey' | 'ctrlKey' | 'metaKey'>,
): Command | null {
  const mod = e.ctrlKey || e.metaKey;
  const hit = ALL.find(
    (m) =>
      m.key === e.key &&
      (m.shift === undefined || m.shift === e.shiftKey) &&
      (m.alt === undefined || m.alt === e.altKey) &&
      (m.mod === undefined ? !mod || ['+', '=', '-', '0'].includes(m.key) : m.mod === mod),
  );
  return hit?.command ?? null;
}

/**
 * Whether a key belongs to what has focus instead of the player: typing in a field, or Space
 * and Enter on a focused button, link, checkbox or radio (they press it).
 */
export function keyBelongsToFocus(
  e: Pick<KeyboardEvent, 'key'> & Partial<Pick<KeyboardEvent, 'altKey'>>,
  target: Element | null,
): boolean {
  if (!target) return false;
  // A modal dialog over the player (import / export) keeps every key for itself.
  if (target.closest?.('[aria-modal="true"]')) return true;
  const tag = target.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (target as HTMLElement).isContentEditable) {
    const type = (target as HTMLInputElement).type;
    const pressable = tag === 'INPUT' && ['checkbox', 'radio', 'button', 'submit', 'range'].includes(type);
    // A radio group and a slider move with the arrow keys.
    if (tag === 'INPUT' && (type === 'radio' || type === 'range') && ARROWS.includes(e.key)) return true;
    return pressable ? e.key === ' ' || e.key === 'Enter' : true;
  }
  const role = target.getAttribute('role');
  // A focused tab moves between tabs with the arrow keys, Home and End (WAI-ARIA tabs); a
  // splitter moves with them. (The waveform and overview sliders are the playhead's: the
  // player's own seek keys move them.)
  if ((role === 'tab' || role === 'separator') && [...ARROWS, 'Home', 'End'].includes(e.key)) return true;
  // A segment on a lane: the arrow keys move it or go to the next one (Alt + arrows stay the
  // player's edge nudge).
  if (target.classList?.contains('seg') && ARROWS.includes(e.key) && !('altKey' in e && e.altKey)) return true;
  if (e.key !== ' ' && e.key !== 'Enter') return false;
  return (
    tag === 'BUTTON' || tag === 'A' || target.getAttribute('role') === 'button' || target.getAttribute('role') === 'tab'
  );
}
