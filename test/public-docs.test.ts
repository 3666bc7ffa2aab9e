/**
 * What an editor shows on hover: every signature a user calls — each
 * overload of every exported function and every constructor of every
 * exported class (`new nn.Linear(…)`, `new optim.Adam(…)`), inherited
 * constructors included — carries TSDoc with a sentence and an `@param`
 * for each of its parameters. TypeScript shows a constructor's own TSDoc
 * on `new X(`, not the class's, so a class comment alone leaves the hover
 * empty; typedoc's `notDocumented` check does not see that.
 */
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('../src/index.ts', import.meta.url));

interface Gap {
  where: string;
  missing: string;
}

/** Walks the entry's exports (namespaces too, each symbol once) and lists the signatures short of docs. */
function gaps(): { signatures: number; gaps: Gap[] } {
  const program = ts.createProgram([ENTRY], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(ENTRY)!)!;
  const seen = new Set<ts.Symbol>();
  const found: Gap[] = [];
  let signatures = 0;

  const check = (where: string, sig: ts.Signature): void => {
    signatures++;
    const params = sig.parameters.map((p) => p.name);
    const label = `${where}(${params.join(', ')})`;
    if (!ts.displayPartsToString(sig.getDocumentationComment(checker)).trim()) {
      found.push({ where: label, missing: 'TSDoc' });
      return;
    }
    const tagged = new Set(
      sig
        .getJsDocTags()
        .filter((t) => t.name === 'param')
        .map((t) => ts.displayPartsToString(t.text).trim().split(/\s/)[0]),
    );
    const untagged = params.filter((p) => !tagged.has(p));
    if (untagged.length) found.push({ where: label, missing: `@param ${untagged.join(', ')}` });
  };

  const visit = (symbol: ts.Symbol, path: string): void => {
    const sym = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (seen.has(sym)) return;
    seen.add(sym);
    const name = `${path}${symbol.name}`;
    if (sym.flags & (ts.SymbolFlags.Namespace | ts.SymbolFlags.ValueModule)) {
      for (const e of checker.getExportsOfModule(sym)) visit(e, `${name}.`);
      return;
    }
    if (sym.flags & ts.SymbolFlags.Class)
      for (const sig of checker.getTypeOfSymbol(sym).getConstructSignatures())
        check(`new ${name}`, sig);
    if (sym.flags & ts.SymbolFlags.Function)
      for (const sig of checker.getTypeOfSymbol(sym).getCallSignatures()) check(name, sig);
  };
  for (const e of checker.getExportsOfModule(entry)) visit(e, '');
  return { signatures, gaps: found };
}

describe('public signatures carry TSDoc', () => {
  it('every exported function overload and class constructor has a doc and an @param per parameter', () => {
    const { signatures, gaps: found } = gaps();
    // The walk must see the API, not an empty module: nnkit exports hundreds of signatures.
    expect(signatures).toBeGreaterThan(500);
    expect(found.map((g) => `${g.where}: no ${g.missing}`)).toEqual([]);
  }, 120_000);
});
