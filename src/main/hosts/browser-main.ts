/** `npm run browser`: starts the browser host and prints its address. */
import path from 'node:path';
import { defaultDataDir } from '../app';
import { startBrowserHost } from './browser-host';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const port = arg('--port') ? Number(arg('--port')) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('--port must be a number between 0 and 65535.');
    process.exit(2);
  }
  const dataDir = arg('--data-dir') ? path.resolve(arg('--data-dir')!) : defaultDataDir();
  const rendererDir = path.resolve(__dirname, '..', 'renderer');
  const host = await startBrowserHost({ dataDir, rendererDir, port, version: process.env.npm_package_version });
  console.log(`Alliance Review at ${host.url}`);
  const stop = () => void host.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
