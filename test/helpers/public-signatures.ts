/**
 * What an editor shows on hover: the signatures of nnkit's public API —
 * each overload of every exported function and every constructor of every
 * exported class (`new nn.Linear(…)`, `new optim.Adam(…)`), inherited
 * constructors included — and which of them lack TSDoc or an `@param` for
 * a parameter. TypeScript shows a constructor's own TSDoc on `new X(`, not
 * the class's, so a class comment alone leaves the hover empty; typedoc's
 * `notDocumented` check does not see that. Used on `src/index.ts` by the
 * unit test and on the installed package's `.d.ts` by the package test.
 */
import ts from 'typescript';

/** One signature short of docs: where it is and what it lacks. */
export interface DocGap {
  where: string;
  missing: string;
}

/**
 * Walks the exports of `entry` (a `.ts` or `.d.ts` file; namespaces too,
 * each symbol once) and lists the signatures short of docs.
 */
export function undocumentedSignatures(entry: string): { signatures: number; gaps: DocGap[] } {
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`undocumentedSignatures: cannot read ${entry}`);
  const module = checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`undocumentedSignatures: ${entry} is not a module`);
  const seen = new Set<ts.Symbol>();
  const gaps: DocGap[] = [];
  let signatures = 0;

  const check = (where: string, sig: ts.Signature): void => {
    signatures++;
    const params = sig.parameters.map((p) => p.name);
    const label = `${where}(${params.join(', ')})`;
    if (!ts.displayPartsToString(sig.getDocumentationComment(checker)).trim()) {
      gaps.push({ where: label, missing: 'TSDoc' });
      return;
    }
    const tagged = new Set(
      sig
        .getJsDocTags()
        .filter((t) => t.name === 'param')
        .map((t) => ts.displayPartsToString(t.text).trim().split(/\s/)[0]),
    );
    const untagged = params.filter((p) => !tagged.has(p));
    if (untagged.length) gaps.push({ where: label, missing: `@param ${untagged.join(', ')}` });
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
  for (const e of checker.getExportsOfModule(module)) visit(e, '');
  return { signatures, gaps };
}
