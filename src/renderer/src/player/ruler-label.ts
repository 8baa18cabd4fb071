import { formatDuration } from '../../../shared/time';

/**
 * A ruler label at `t` seconds: whole seconds (m:ss, h:mm:ss), or with tenths when labels are
 * less than a second apart. Tenths are counted in whole tenths, so 0.5 s reads 0:00.5 (not the
 * rounded second, 0:01.5) and 1.0 s reads 0:01.0 (not 0:01.10 from 0.9999…).
 */
export function rulerLabel(t: number, step: number): string {
  if (step >= 1) return formatDuration(t * 1000);
  const tenths = Math.round(t * 10);
  return `${formatDuration(Math.floor(tenths / 10) * 1000)}.${tenths % 10}`;
}
