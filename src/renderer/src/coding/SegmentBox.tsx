import { memo } from 'react';
import type { Code } from '../../../shared/codebook';
import { formatTime } from '../../../shared/time';
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
  codes,
}: BoxProps & { codes: Map<string, Code> }) {
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
      aria-label={`${s.kind} ${label} at ${formatTime(s.startMs)}`}
      title={title}
      style={{
        left,
        width,
        top,
        ['--seg' as string]: color,
        ['--label-w' as string]: `${labelW}px`,
      }}
    >
      {!point && <span className="handle left" />}
      <span className="seg-label">{label}</span>
      {!point && <span className="handle right" />}
    </div>
  );
});
