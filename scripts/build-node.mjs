// Bundles the plain-Node entry points (CLI and browser host) with esbuild. Native and binary
// packages stay external and are required from node_modules at run time.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: [
    'better-sqlite3-multiple-ciphers',
    '@echogarden/fvad-wasm',
    '@ffmpeg-installer/ffmpeg',
    '@ffprobe-installer/ffprobe',
    'electron',
  ],
  logLevel: 'warning',
};

await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'out/cli/alliance-review.cjs' });
await build({ ...common, entryPoints: ['src/main/hosts/browser-main.ts'], outfile: 'out/host/browser-host.cjs' });
