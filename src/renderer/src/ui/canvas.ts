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

/**
 * Keeps a canvas drawn while the view window moves: `measure` runs when the canvas is resized or
 * the colour scheme changes (size and colours are read there, not per frame: reading them forces
 * a layout, which in a pan is the expensive part), and `draw` at most once per animation frame
 * after the window moved. Returns what stops it.
 */
export function followWindow(
  canvas: HTMLCanvasElement,
  view: { subscribe(cb: () => void): () => void },
  measure: () => void,
  draw: () => void,
): () => void {
  let raf = 0;
  const ro = new ResizeObserver(measure);
  ro.observe(canvas);
  const scheme = matchMedia('(prefers-color-scheme: dark)');
  scheme.addEventListener('change', measure);
  const off = view.subscribe(() => {
    if (!raf) raf = requestAnimationFrame(() => ((raf = 0), draw()));
  });
  return () => {
    off();
    ro.disconnect();
    scheme.removeEventListener('change', measure);
    cancelAnimationFrame(raf);
  };
}
