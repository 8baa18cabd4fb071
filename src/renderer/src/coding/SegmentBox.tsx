import { memo } from 'react';
import type { Code } from '../../../shared/codebook';
import { formatTime } from '../../../shared/time';
import { labelTextWidth } from '../ui/text-width';
import type { BoxProps } from './lane-boxes';

export type { BoxProps };

/** One segment on its lane. Pointer handling is the lane's (one handler, found by data-id). */
export const SegmentBox = memo(function SegmentBox({
  segment: s,
  cls,
  left,
  width,
  top,
  labelW,
  label,
  point,
  tab,
  codes,
}: BoxProps & { codes: Map<string, Code> }) {
  // Clipped (with an ellipsis) only when it would not fit its room: its 4-px paddings and 2 px
  // to spare for the canvas's measure against the page's.
  const clipped = !point && labelTextWidth(label) + 10 > labelW;
  const names = s.codes.map((k) => `${k} ${codes.get(k)?.label ?? ''}`.trim()).join('; ');
  const title = `${formatTime(s.startMs)}–${formatTime(s.endMs)} ${s.kind}${names ? `: ${names}` : ''}${s.note ? ` — ${s.note}` : ''}`;
  const color =
    s.kind === 'comment'
      ? 'var(--comment)'
      : (codes.get(s.codes[0] ?? '')?.color ?? (s.kind === 'repair' ? '#009E73' : '#0072B2'));
  return (
    <div
      role="listitem"
      data-id={s.id}
      className={cls}
      aria-label={`${s.kind} ${label} at ${formatTime(s.startMs)}${s.kind !== 'comment' && !s.codes.length ? ', not coded yet' : ''}`}
      tabIndex={tab ? 0 : -1}
      title={title}
      style={{
        left,
        width,
        top,
        ['--seg' as string]: color,
        ['--label-w' as string]: `${labelW}px`,
      }}
    >
      <span className={clipped ? 'seg-label clipped' : 'seg-label'}>{label}</span>
    </div>
  );
});
