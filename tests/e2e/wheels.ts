import type { Page } from 'playwright-core';

/**
 * The time the running clock's digit wheels show (read from their computed transforms, as the
 * compositor turns them), and the main video's time at the same moment, in seconds.
 */
export function wheelsAndVideo(page: Page): Promise<{ shown: number; video: number }> {
  return page.evaluate(() => {
    const line = parseFloat(getComputedStyle(document.querySelector('.time-run')!).getPropertyValue('--line'));
    const d = [...document.querySelectorAll('.time-run .strip')].map((s) =>
      Math.round(-new DOMMatrix(getComputedStyle(s).transform).m42 / line),
    );
    const shown = [36_000, 3_600, 600, 60, 10, 1, 0.1, 0.01, 0.001].reduce((sum, k, i) => sum + k * d[i]!, 0);
    return { shown, video: document.querySelector('video')!.currentTime };
  });
}
