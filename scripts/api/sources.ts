/** Where each registry entry is declared, so generated code can import it by name. */
import { REGISTRY, type FunctionEntry } from '../../src/registry/index.js';
import { REGISTRY_FILES, REGISTRY_FILE_NAMES } from '../../src/registry/files.js';

export interface SourceFile {
  readonly alias: string;
  readonly path: string;
}

export interface EntrySource {
  readonly entry: FunctionEntry;
  readonly file: SourceFile;
  /** `A.relu`: how generated code refers to the entry. */
  readonly ref: string;
}

const FILES: [SourceFile, Record<string, unknown>][] = Object.entries(REGISTRY_FILES).map(
  ([alias, exports]) => [
    { alias, path: `${REGISTRY_FILE_NAMES[alias as keyof typeof REGISTRY_FILES]}.js` },
    exports,
  ],
);

/** Every registry entry in registry order, with the file and export that declare it. */
export function entrySources(): EntrySource[] {
  return REGISTRY.map((entry) => {
    for (const [file, ns] of FILES) {
      for (const [exportName, value] of Object.entries(ns)) {
        if (value === entry) return { entry, file, ref: `${file.alias}.${exportName}` };
      }
    }
    throw new Error(`gen-api: registry entry ${entry.name} is not exported by a registry file`);
  });
}
