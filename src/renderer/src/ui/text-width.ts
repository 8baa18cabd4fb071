/** Measured widths, by text: the same codes come back on every lane and every render. */
const widths = new Map<string, number>();
let ctx: CanvasRenderingContext2D | null | undefined;

/**
 * The width (CSS px) a segment label's text takes in the lanes' font (500 11px, the page's
 * family), measured once per text on a canvas: no layout is read. Without a canvas it answers as
 * if every character were 11 px wide, so that a label is clipped rather than left to spill.
 */
export function labelTextWidth(text: string): number {
  let w = widths.get(text);
  if (w !== undefined) return w;
  if (ctx === undefined) {
    ctx = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
    if (ctx) ctx.font = `500 11px ${getComputedStyle(document.body).fontFamily}`;
  }
  w = ctx ? ctx.measureText(text).width : text.length * 11;
  if (widths.size > 5000) widths.clear();
  widths.set(text, w);
  return w;
}
