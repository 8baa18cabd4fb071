/**
 * Child process for the durability test: writes sessions one by one through the core and
 * acknowledges each on stdout only after the write returned.
 */
import { createCore } from '../../src/main/app';

const core = createCore({ dataDir: process.argv[2]! });
const c = core.library.createCase({ code: 'C-KILL', therapist: '', notes: '' });
process.stdout.write(`case ${c.id}\n`);
for (let n = 1; n < 1_000_000; n++) {
  core.library.createSession({ caseId: c.id, number: n, date: null, modality: '', notes: `note ${n}` });
  process.stdout.write(`ack ${n}\n`);
}
