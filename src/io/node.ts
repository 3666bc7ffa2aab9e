/**
 * Safetensors files on disk, for Node.js: Python's
 * `safetensors.torch.save_file` and `load_file`.
 *
 * This file imports no Node built-in statically, so browser bundles that
 * include nnkit stay free of them: `node:fs/promises` is reached at call time
 * through `process.getBuiltinModule` (Node 20.16+ and 22.3+) or, on older
 * Node 20 releases, a dynamic `import()` whose specifier bundlers leave
 * alone. In a browser the functions throw, pointing to the bytes API.
 */
import { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../signature/types.js';
import { decodeTensors, encode } from './safetensors.js';
import { load } from './torch-load.js';
import { save } from './torch-save.js';
import { parseHeader, readHeaderLength } from './safetensors-header.js';

type FsPromises = typeof import('node:fs/promises');

interface NodeProcess {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

async function nodeFs(where: string): Promise<FsPromises> {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (!proc?.versions?.node) {
    throw new Error(
      `${where}: files need Node.js; in a browser use io.saveSafetensors / io.loadSafetensors with the file's bytes`,
    );
  }
  if (typeof proc.getBuiltinModule === 'function') {
    return proc.getBuiltinModule('node:fs/promises') as FsPromises;
  }
  const specifier = 'node:fs/promises';
  return (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)) as FsPromises;
}

/** File names saved in PyTorch's `torch.save` format rather than as safetensors. */
const TORCH_FILE = /\.(pt|pth|bin)$/i;

/**
 * Writes tensors (a state dict) to a safetensors file, creating or replacing
 * it; the bytes are exactly `io.saveSafetensors`'s. Node.js only. Matches
 * Python's `safetensors.torch.save_file(tensors, filename, metadata)`. A
 * name ending in `.pt`, `.pth` or `.bin` is written in PyTorch's
 * `torch.save` format instead (the bytes of {@link save}), for
 * `model.load_state_dict(torch.load(filename))`.
 * @example
 * ```ts
 * import { io, nn } from 'nnkit';
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * const model = new nn.Linear(4, 3);
 * const file = join(tmpdir(), 'nnkit-linear.safetensors');
 * await io.saveFile(model.stateDict(), file, { format: 'pt' });
 * console.log(Object.keys(await io.loadFile(file))); // [ 'bias', 'weight' ]
 * ```
 * @param tensors - The tensors by name, e.g. `model.stateDict()`.
 * @param filename - The file's path; `.pt`, `.pth` or `.bin` selects the `torch.save` format.
 * @param metadata - Strings stored as the safetensors `__metadata__` (e.g. `{ format: 'pt' }`); not allowed for a `torch.save` file. Default `null`.
 */
export async function saveFile(
  tensors: Record<string, Tensor>,
  filename: string,
  metadata?: Record<string, string> | null,
): Promise<void> {
  const where = 'io.saveFile';
  if (typeof filename !== 'string' || filename === '') {
    throw new Error(`${where}: filename must be a non-empty string, got ${String(filename)}`);
  }
  let bytes: Uint8Array;
  if (TORCH_FILE.test(filename)) {
    if (metadata !== undefined && metadata !== null) {
      throw new Error(
        `${where}: '${filename}': metadata is a safetensors feature; a torch.save file (.pt, .pth, .bin) has none`,
      );
    }
    tensorsOnly(tensors, filename, true);
    bytes = save(tensors);
  } else {
    bytes = encode(tensors, metadata, `${where}: '${filename}'`);
  }
  const fs = await nodeFs(where);
  await fs.writeFile(filename, bytes).catch((e: unknown) => throwNamed(e, where));
}

/**
 * Rethrows a file-system error (`ENOENT: no such file or directory, open …`)
 * with the function's name in front, as every nnkit error has; its `code`
 * and the original (as `cause`) are kept.
 */
function throwNamed(e: unknown, fn: string): never {
  if (!(e instanceof Error)) throw e;
  const named = new Error(`${fn}: ${e.message}`, { cause: e });
  const code = (e as { code?: unknown }).code;
  if (code !== undefined) Object.assign(named, { code });
  throw named;
}

/**
 * A state dict, checked: an object whose values are all tensors. `saving`
 * says which way the value goes (the errors point to io.save or io.load).
 */
function tensorsOnly(v: unknown, filename: string, saving = false): Record<string, Tensor> {
  const where = `${saving ? 'io.saveFile' : 'io.loadFile'}: '${filename}'`;
  const other = saving
    ? 'save other values with io.save(value) and write its bytes'
    : 'read it with io.load(await readFile(...))';
  const what = saving ? 'tensors are' : 'the file holds';
  if (
    typeof v !== 'object' ||
    v === null ||
    Array.isArray(v) ||
    v instanceof Tensor ||
    v instanceof Uint8Array
  ) {
    throw new Error(`${where}: ${what} ${describeValue(v)}, not a state dict; ${other}`);
  }
  for (const [k, t] of Object.entries(v)) {
    if (!(t instanceof Tensor)) {
      throw new Error(
        `${where}: '${k}' is ${describeValue(t)}, not a tensor: not a state dict; ${other}`,
      );
    }
  }
  return v as Record<string, Tensor>;
}

/**
 * Reads a safetensors file, or a PyTorch `torch.save` file of a state dict
 * (recognised by its ZIP signature, read as {@link load} reads it), into a
 * record of tensors by name, with `io.loadSafetensors`'s dtypes and checks.
 * Node.js only. The header is
 * read and checked first, against the file's size, so a corrupt or truncated
 * file fails before its data is read or any tensor memory is allocated.
 * Matches Python's `safetensors.torch.load_file(filename)`.
 * @example
 * ```ts
 * import { io, nn } from 'nnkit';
 * import { join } from 'node:path';
 * import { tmpdir } from 'node:os';
 * const file = join(tmpdir(), 'nnkit-linear.safetensors');
 * await io.saveFile(new nn.Linear(4, 3).stateDict(), file);
 * const model = new nn.Linear(4, 3);
 * console.log(model.loadStateDict(await io.loadFile(file))); // { missingKeys: [], unexpectedKeys: [] }
 * ```
 * @param filename - The path of a safetensors or `torch.save` file.
 */
export async function loadFile(filename: string): Promise<Record<string, Tensor>> {
  if (typeof filename !== 'string' || filename === '') {
    throw new Error(`io.loadFile: filename must be a non-empty string, got ${String(filename)}`);
  }
  const where = `io.loadFile: '${filename}'`;
  const fs = await nodeFs('io.loadFile');
  const file = await fs.open(filename, 'r').catch((e: unknown) => throwNamed(e, 'io.loadFile'));
  try {
    const size = (await file.stat()).size;
    const read = async (length: number, position: number): Promise<Uint8Array> => {
      const buf = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await file.read(buf, done, length - done, position + done);
        if (bytesRead === 0) throw new Error(`${where}: the file shrank while being read`);
        done += bytesRead;
      }
      return buf;
    };
    const head = await read(Math.min(8, size), 0);
    if (
      head.length >= 4 &&
      head[0] === 0x50 &&
      head[1] === 0x4b &&
      head[2] === 3 &&
      head[3] === 4
    ) {
      return tensorsOnly(load(await read(size, 0)), filename);
    }
    const n = readHeaderLength(head, size, where);
    const header = parseHeader(await read(n, 8), size - 8 - n, where);
    const data = await read(size - 8 - n, 8 + n);
    return decodeTensors(header, data, where);
  } finally {
    await file.close();
  }
}
