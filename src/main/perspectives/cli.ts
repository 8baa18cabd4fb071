/** Questionnaires from the command line: instruments and responses. */
import { AppError } from '../../shared/errors';
import { count } from '../../shared/words';
import { parseCsvRows } from '../agreement/segment-files';
import { need, csvText, readText, type CommandContext, type Command } from '../../cli/args';

/** `instruments list | export KEY | import FILE.json` (list and import through the dispatch). */
export async function instrumentsCommand({ core, call, args, values, io }: CommandContext): Promise<number> {
  const [sub, arg] = args;
  if (sub === 'list') {
    const list = await call('instruments:list', {});
    if (values.json) io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    else
      for (const i of list) io.stdout(`${i.key}\t${i.name}\t${i.items.length} items\t${i.perspectives.join(', ')}\n`);
    return 0;
  }
  if (sub === 'export') {
    io.stdout(`${JSON.stringify(core.responses.instrument(need(arg, 'KEY')).def, null, 2)}\n`);
    return 0;
  }
  if (sub === 'import') {
    const file = need(arg, 'FILE');
    const text = readText(file);
    const inst = await call('instruments:import', { text });
    io.stdout(`Imported ${inst.key} (${inst.name}, ${inst.items.length} items).\n`);
    return 0;
  }
  throw new AppError('INVALID_INPUT', 'Use: alliance-review instruments list | export KEY | import FILE.json.');
}

/** `responses import FILE.csv`: questionnaires of many sessions, all or nothing. */
export function responsesCommand({ core, args, values, io }: CommandContext): number {
  if (args[0] !== 'import') throw new AppError('INVALID_INPUT', 'Use: alliance-review responses import FILE.csv.');
  const file = need(args[1], 'FILE');
  const text = csvText(file, 'responses import', 'a CSV with the header session,perspective,rater,item,value');
  const result = core.responses.importCsv(parseCsvRows(text));
  if (values.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout(`Imported ${count(result.imported, 'answer')} in ${count(result.responses, 'questionnaire')}.\n`);
  for (const r of result.rejected) io.stderr(`line ${r.line}: ${r.reason}\n`);
  if (result.rejected.length) {
    io.stderr(
      `alliance-review: nothing imported: ${result.rejected.length} row${result.rejected.length === 1 ? '' : 's'} rejected.\n`,
    );
    return 1;
  }
  return 0;
}

export const perspectiveCommands: Command[] = [
  {
    name: 'responses',
    help: [
      {
        group: 'Coding, transcripts and questionnaires',
        text: `  responses import FILE.csv             questionnaires: session,perspective,rater,item,value`,
      },
    ],
    run: responsesCommand,
  },
  {
    name: 'instruments',
    help: [
      { group: 'Coding, transcripts and questionnaires', text: `  instruments list | export KEY | import FILE.json` },
    ],
    run: instrumentsCommand,
  },
];
