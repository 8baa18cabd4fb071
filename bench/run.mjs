// Runs a TypeScript benchmark: bundles bench/<name>.ts with esbuild, then executes it with node.
// Usage: node bench/run.mjs import|player   (each prints one JSON object on stdout)
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';

const name = process.argv[2];
if (
  ![
    'import',
    'player',
    'annotate',
    'agreement',
    'csv',
    'report',
    'clip',
    'compare',
    'interop',
    'talk',
    'scrub',
    'playback',
    'packages',
    'encryption',
    'statistics',
    'subtitles',
    'scale',
    'transcribe',
  ].includes(name)
) {
  console.error(
    'usage: node bench/run.mjs import|player|annotate|agreement|csv|report|clip|compare|interop|talk|scrub|playback|packages|encryption|statistics|subtitles|scale|transcribe',
  );
  process.exit(2);
}
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outfile = path.join(root, '.cache', 'bench', `${name}.cjs`);
buildSync({
  entryPoints: [path.join(root, 'bench', `${name}.ts`)],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile,
  external: [
    'better-sqlite3-multiple-ciphers',
    '@echogarden/fvad-wasm',
    '@ffmpeg-installer/ffmpeg',
    '@ffprobe-installer/ffprobe',
    'playwright-core',
    'electron',
  ],
  logLevel: 'error',
});
execFileSync(process.execPath, [outfile, ...process.argv.slice(3)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
});
