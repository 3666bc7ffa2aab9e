/**
 * The `nnkit` command line (run by `nnkit.ts`, the package's `bin`): the
 * dispatch to `plot` and `tour`, and the top-level help.
 */
import { main as tour } from './main.js';
import { plot } from './plot.js';

const USAGE = `Usage: nnkit <command> [options]

nnkit: PyTorch's torch.nn activations and losses for TypeScript.

Commands:
  plot <activation>  draw an activation and its autograd derivative as SVG or PNG
                     (nnkit plot gelu --derivative --out gelu.svg)
  tour               the tour: trains small networks on generated data and checks
                     the lecture's claims with numbers; writes SVGs and out/report.html
  help [command]     this text, or a command's options

Run nnkit <command> --help for a command's options.`;

/** Runs the `nnkit` command line; returns the exit code. */
export function cli(argv: readonly string[]): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    (command === undefined ? process.stderr : process.stdout).write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command === 'help') return rest.length ? cli([rest[0], '--help']) : cli(['--help']);
  if (command === 'plot') return plot(rest);
  if (command === 'tour') return tour(rest, 'nnkit tour');
  process.stderr.write(`nnkit: unknown command '${command}'\n\n${USAGE}\n`);
  return 2;
}
