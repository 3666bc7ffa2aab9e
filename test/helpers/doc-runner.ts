/**
 * Runs a documentation example and checks what it prints: the runner shared by
 * the TSDoc doctest (test/doctest.test.ts) and the README test
 * (test/readme.test.ts), as Python's doctest and tinygrad's README test do.
 *
 * An example is a TypeScript module body (imports allowed, top-level `await`
 * allowed). What each statement that calls `console.log` prints is compared,
 * exactly, with the comment that follows that statement:
 *
 * ```ts
 * console.log(F.relu(x)); // tensor([0., 0., 2.])    ← one line of output
 * console.log(F.softmax(t, 1));                       ← several lines: the comment
 * // tensor([[0.0900, 0.2447, 0.6652],                  lines right below the
 * //         [0.0900, 0.2447, 0.6652]])                 statement, `// ` removed
 * for (const b of [1, 2]) console.log(b);             ← a statement that prints
 * // 1                                                  several times: all of its
 * // 2                                                  lines, in order
 * console.log(availableBackends()); // e.g. [ 'native', 'wasm', 'js' ]
 * ```
 *
 * - The printed text is what `console.log` writes (Node's `util.format` of the
 *   arguments), compared after removing trailing whitespace from each line.
 * - A comment that starts with `e.g.` shows a typical output that depends on
 *   the machine; it is printed but not compared.
 * - A statement that calls `console.log` must carry a comment; a trailing
 *   comment on the statement's last line wins over comment lines below it.
 * - Each `import { a, b } from 'x'` becomes `const { a, b } = await load('x')`,
 *   so the caller decides what `'nnkit'` is (the source tree, or an installed
 *   package).
 */
import ts from 'typescript';
import { format } from 'node:util';

/** One statement's output and the comment that states it. */
export interface Check {
  /** 1-based line of the statement in the example. */
  readonly line: number;
  /** The stated output, or `null` for an `e.g.` comment. */
  readonly expected: string | null;
  /** What the statement printed. */
  readonly printed: string;
}

/** Loads a module the example imports. */
export type Loader = (specifier: string) => Promise<Record<string, unknown>>;

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

interface Expectation {
  readonly line: number;
  readonly expected: string | null;
}

/** Trailing whitespace off each line, trailing empty lines off the end. */
export function normalize(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n+$/, '');
}

/** The comment stated for a statement ending at `end`, or undefined. */
function statedOutput(code: string, sf: ts.SourceFile, end: number): string | undefined {
  const trailing = ts.getTrailingCommentRanges(code, end)?.[0];
  if (trailing && trailing.kind === ts.SyntaxKind.SingleLineCommentTrivia) {
    return code.slice(trailing.pos + 2, trailing.end).replace(/^ /, '');
  }
  const lines = code.split('\n');
  const below: string[] = [];
  for (let i = sf.getLineAndCharacterOfPosition(end).line + 1; i < lines.length; i++) {
    const m = /^\s*\/\/ ?(.*)$/.exec(lines[i]);
    if (!m) break;
    below.push(m[1]);
  }
  return below.length ? below.join('\n') : undefined;
}

function importEdit(node: ts.ImportDeclaration): string {
  const spec = (node.moduleSpecifier as ts.StringLiteral).text;
  const clause = node.importClause;
  const load = `await __load(${JSON.stringify(spec)})`;
  if (!clause || clause.isTypeOnly) return clause ? '' : `${load};`;
  const out: string[] = [];
  if (clause.name) out.push(`const ${clause.name.text} = (${load}).default;`);
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings))
    out.push(`const ${bindings.name.text} = ${load};`);
  if (bindings && ts.isNamedImports(bindings)) {
    const names = bindings.elements
      .filter((e) => !e.isTypeOnly)
      .map((e) => (e.propertyName ? `${e.propertyName.text}: ${e.name.text}` : e.name.text));
    out.push(`const { ${names.join(', ')} } = ${load};`);
  }
  return out.join(' ');
}

function isConsoleLog(node: ts.Node): node is ts.CallExpression {
  return (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    ts.isIdentifier(node.expression.expression) &&
    node.expression.expression.text === 'console' &&
    node.expression.name.text === 'log'
  );
}

/** Rewrites the example: imports through the loader, each statement's console.log into its own sink. */
function instrument(code: string): { js: string; expectations: Expectation[] } {
  const sf = ts.createSourceFile(
    'example.ts',
    code,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TS,
  );
  const edits: Edit[] = [];
  const expectations: Expectation[] = [];
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt)) {
      edits.push({ start: stmt.getStart(sf), end: stmt.end, text: importEdit(stmt) });
      continue;
    }
    const calls: ts.CallExpression[] = [];
    const visit = (n: ts.Node): void => {
      if (isConsoleLog(n)) calls.push(n);
      n.forEachChild(visit);
    };
    visit(stmt);
    if (!calls.length) continue;
    const line = sf.getLineAndCharacterOfPosition(stmt.getStart(sf)).line + 1;
    const stated = statedOutput(code, sf, stmt.end);
    if (stated === undefined) {
      throw new Error(`line ${line}: a statement that calls console.log has no output comment`);
    }
    const id = expectations.length;
    expectations.push({ line, expected: /^e\.g\./.test(stated) ? null : normalize(stated) });
    for (const c of calls) {
      edits.push({ start: c.expression.getStart(sf), end: c.expression.end, text: `__log[${id}]` });
    }
  }
  let edited = code;
  for (const e of edits.sort((a, b) => b.start - a.start)) {
    edited = edited.slice(0, e.start) + e.text + edited.slice(e.end);
  }
  // Strip the types; the body runs inside an async function, so top-level await works.
  const js = ts
    .transpileModule(`export {};\n${edited}`, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    })
    .outputText.replace(/^export \{\};\s*$/m, '');
  return { js, expectations };
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<void>;

/**
 * Runs `code`, loading its imports with `load`; returns one check per
 * statement that prints. Throws if the example does not run, or if a printing
 * statement has no output comment.
 */
export async function runExample(code: string, load: Loader): Promise<Check[]> {
  const { js, expectations } = instrument(code);
  const printed: string[][] = expectations.map(() => []);
  const sinks = printed.map(
    (out) =>
      (...args: unknown[]) =>
        out.push(format(...args)),
  );
  await new AsyncFunction('__load', '__log', js)(load, sinks);
  return expectations.map((e, i) => ({
    line: e.line,
    expected: e.expected,
    printed: normalize(printed[i].join('\n')),
  }));
}

/** The ```ts code blocks of a Markdown text, with the line each starts on. */
export function markdownBlocks(markdown: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  for (const m of markdown.matchAll(/^```ts\n([\s\S]*?)^```/gm)) {
    out.push({ line: markdown.slice(0, m.index).split('\n').length, code: m[1] });
  }
  return out;
}
