/**
 * Sizes a canvas to its CSS box at the screen's pixel ratio and clears it; returns a context in
 * CSS pixels with the canvas's width, height and computed style, or null without a 2D context.
 */
export function prepareCanvas(canvas: HTMLCanvasElement) {
  const dpr = globalThis.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
  if (canvas.height !== Math.round(h * dpr)) canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h, css: getComputedStyle(canvas) };
}
