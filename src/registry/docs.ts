/**
 * The docs of every registry entry, by name. Each registry file declares an
 * entry's docs right after the entry, as a plain object:
 *
 *     export const gelu = defineFunction({ name: 'gelu', … });
 *     export const geluDocs: Docs = { summary: …, example: … };
 *
 * An entry does not hold its docs, so the runtime (`F`, `nn`, the tensor
 * methods) never references their text and a bundler drops it from a page
 * that does not use `registry`. Only `registry` (public.ts), the generators
 * (scripts/gen-api.ts) and the tests import this module; nothing on the
 * runtime path may, or every page carries the docs again.
 *
 * A bundler drops an unused object only if building it can have no side
 * effect: string literals and references to constants are fine, but a
 * template or a `+` over a constant is kept (esbuild keeps them), and so is
 * any call, unless marked `/* @__PURE__ *\/` as the dropout family's
 * `sentences(...)` and `channelDocs(...)` are. test/registry/registry.test.ts
 * bundles a page without `registry` and fails if any docs text is in it.
 *
 * The compiler checks that each registry file exports `<name>Docs` for every
 * entry `<name>` it exports; building the map checks that every `…Docs`
 * export belongs to a registry entry.
 */
import type { Docs, FunctionEntry } from './define.js';
import { REGISTRY } from './index.js';
import { REGISTRY_FILES } from './files.js';

/** What a registry file must export besides its entries: `<name>Docs` for each entry `<name>`. */
type DocsExports<M> = {
  readonly [K in keyof M as M[K] extends FunctionEntry ? `${K & string}Docs` : never]: Docs;
};

type Files = typeof REGISTRY_FILES;

/** The files, checked by the compiler to export `<name>Docs` for each entry `<name>`. */
const FILES: { readonly [K in keyof Files]: Files[K] & DocsExports<Files[K]> } = REGISTRY_FILES;

/** A registry file's `<name>Docs` exports, each with the entry `<name>` it documents. */
function docsIn(exports: Readonly<Record<string, unknown>>): [FunctionEntry, Docs][] {
  return Object.keys(exports)
    .filter((key) => key.endsWith('Docs'))
    .map((key) => {
      const entry = exports[key.slice(0, -'Docs'.length)] as FunctionEntry;
      if (!REGISTRY.includes(entry)) {
        throw new Error(`registry: ${key} documents no registry entry`);
      }
      return [entry, exports[key] as Docs];
    });
}

function collect(): ReadonlyMap<string, Docs> {
  const byName = new Map<string, Docs>();
  for (const [entry, docs] of Object.values(FILES).flatMap((f) => docsIn(f))) {
    if (byName.has(entry.name)) throw new Error(`registry: ${entry.name} is documented twice`);
    byName.set(entry.name, docs);
  }
  return byName;
}

/**
 * Every entry's docs, by the entry's name. The call is marked pure, as `registry`'s is: a bundle
 * that imports this module through `registry` without using it drops it with the docs.
 */
export const DOCS: ReadonlyMap<string, Docs> = /* @__PURE__ */ collect();

/** The docs of an entry (or of the entry named `name`). */
export function docsOf(entry: FunctionEntry | string): Docs {
  const name = typeof entry === 'string' ? entry : entry.name;
  const docs = DOCS.get(name);
  if (!docs) throw new Error(`registry: ${name} has no docs`);
  return docs;
}
