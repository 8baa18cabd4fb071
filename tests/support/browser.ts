import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startBrowserHost, type BrowserHost } from '../../src/main/hosts/browser-host';
import { tempDir } from './tmp';

export const RENDERER_DIR = path.resolve(__dirname, '..', '..', 'out', 'renderer');
export const SCREENSHOT_DIR = path.resolve(__dirname, '..', 'screenshots');

/** Debian's Chromium, with the flags this closed network needs. Never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** The browser host on a fresh data folder, serving the built renderer. */
export async function startTestHost(
  options: { scrubAid?: boolean } = {},
): Promise<{ host: BrowserHost; dataDir: string; cleanup: () => Promise<void> }> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error('The renderer is not built: run "npm run build" first (npm test does).');
  }
  const data = tempDir();
  // Scrub aids are built only where a test looks at them (each is an ffmpeg encode).
  const host = await startBrowserHost({
    dataDir: data.dir,
    rendererDir: RENDERER_DIR,
    scrubAid: options.scrubAid ?? false,
    dailyBackups: false,
  });
  return {
    host,
    dataDir: data.dir,
    cleanup: async () => {
      await host.close();
      data.cleanup();
    },
  };
}
