/**
 * A Python pickle reader for data, not code: the opcodes of protocols 2–4
 * that `torch.save` and `pickle.dumps` of dicts, lists, tuples, numbers,
 * strings and tensors emit, run on a stack machine. Like PyTorch's
 * `torch.load(weights_only=True)`, it never imports anything: a `GLOBAL`
 * resolves only through the caller's table of allowed names (for
 * `torch.save`, src/io/torch-load.ts), and anything else is an error naming
 * it — a pickled `os.system` call is refused, not run.
 *
 * Python values become JavaScript ones: `dict` a plain object (string keys
 * as they are, integer keys as their decimal text), `list` and `tuple`
 * arrays, `int` a number (a bigint beyond ±2^53), `float` a number, `str` a
 * string, `bytes` a Uint8Array, `None` null, `bool` a boolean.
 */

/** What an allowed global is: a function `REDUCE` may call, or a plain value. */
export type PickleGlobal = ((args: unknown[]) => unknown) | { readonly value: unknown };

export interface PickleHooks {
  /** The allowed globals by `'module name'`. */
  globals: ReadonlyMap<string, PickleGlobal>;
  /** `BINPERSID`'s loader, for objects stored outside the pickle (PyTorch's storages). */
  persistentLoad(pid: unknown): unknown;
  /** `BUILD` on an object the globals made (not a dict); returns whether it took the state. */
  build?(target: unknown, state: unknown): boolean;
}

/** A plain object for a Python dict: `__proto__` and friends become own properties. */
function setKey(
  dict: Record<string, unknown>,
  key: unknown,
  value: unknown,
  fail: (m: string) => never,
): void {
  let k: string;
  if (typeof key === 'string') k = key;
  else if (typeof key === 'number' && Number.isInteger(key)) k = String(key);
  else if (typeof key === 'bigint') k = key.toString();
  else return fail(`a dict key of type ${describe(key)} (only strings and integers are supported)`);
  Object.defineProperty(dict, k, { value, enumerable: true, writable: true, configurable: true });
}

function describe(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'list/tuple';
  if (v instanceof Uint8Array) return 'bytes';
  return typeof v;
}

/** Runs the pickle in `bytes` and returns the value it leaves. */
export function unpickle(bytes: Uint8Array, hooks: PickleHooks, where: string): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const latin1 = new TextDecoder('latin1');
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  const dicts = new WeakSet<object>();
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`${where}: ${what} (pickle byte ${pos})`);
  };
  const need = (n: number): number => {
    if (pos + n > bytes.length) fail('the pickle ends early (truncated file?)');
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = () => view.getUint8(need(1));
  const u16 = () => view.getUint16(need(2), true);
  const u32 = () => view.getUint32(need(4), true);
  const pop = (): unknown => {
    if (stack.length === 0 || (marks.length > 0 && stack.length <= marks[marks.length - 1])) {
      fail('the pickle pops an empty stack');
    }
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail('the pickle reads an empty stack');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const m = marks.pop();
    if (m === undefined) return fail('the pickle closes a MARK it never opened');
    return stack.splice(m);
  };
  const text = (n: number): string => {
    const at = need(n);
    try {
      return utf8.decode(bytes.subarray(at, at + n));
    } catch {
      return fail('a string that is not UTF-8');
    }
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('the pickle ends early (truncated file?)');
    const s = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const global = (module: string, name: string): unknown => {
    // collections.OrderedDict(): a dict (state dicts are OrderedDicts).
    if (module === 'collections' && name === 'OrderedDict') return () => newDict();
    const g = hooks.globals.get(`${module} ${name}`);
    if (typeof g === 'function') return g;
    if (g) return g.value;
    {
      fail(
        `refuses to load '${module}.${name}': only tensors and Python's dicts, lists, tuples, numbers and strings load, as with torch.load(weights_only=True)`,
      );
    }
    return g;
  };
  const int = (v: bigint): number | bigint =>
    v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  const asDict = (v: unknown): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || !dicts.has(v))
      fail(`SETITEM on a ${describe(v)}, not a dict`);
    return v as Record<string, unknown>;
  };
  const newDict = (): Record<string, unknown> => {
    const d = {};
    dicts.add(d);
    return d;
  };
  const call = (fn: unknown, args: unknown): unknown => {
    if (typeof fn !== 'function')
      fail(`a call of a ${describe(fn)}, which is not an allowed function`);
    if (!Array.isArray(args)) fail('a call whose arguments are not a tuple');
    return (fn as (a: unknown[]) => unknown)(args as unknown[]);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('a pickle protocol above 5');
        break;
      case 0x95: // FRAME: an 8-byte length, only a hint
        need(8);
        break;
      case 0x2e: {
        // STOP
        if (stack.length !== 1 || marks.length !== 0)
          fail('the pickle stops with a malformed stack');
        return stack[0];
      }
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(newDict());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const k = op === 0x68 ? u8() : u32();
        if (!memo.has(k)) fail(`the pickle reads memo slot ${k}, never written`);
        stack.push(memo.get(k));
        break;
      }
      case 0x4a: // BININT
        stack.push(view.getInt32(need(4), true));
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: {
        // LONG1: a little-endian two's-complement integer of n bytes
        const n = u8();
        const at = need(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]);
        if (n > 0 && bytes[at + n - 1] >= 0x80) v -= 1n << BigInt(8 * n);
        stack.push(int(v));
        break;
      }
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x47: // BINFLOAT: big-endian double
        stack.push(view.getFloat64(need(8), false));
        break;
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x8d: {
        // BINUNICODE8
        const lo = u32();
        if (u32() !== 0) fail('a string over 4 GB');
        stack.push(text(lo));
        break;
      }
      case 0x43: // SHORT_BINBYTES
      case 0x42: {
        // BINBYTES
        const n = op === 0x43 ? u8() : u32();
        const at = need(n);
        stack.push(bytes.slice(at, at + n));
        break;
      }
      case 0x63: {
        // GLOBAL: "module\nname\n"
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string')
          fail('STACK_GLOBAL of non-strings');
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x52: {
        // REDUCE: callable(*args)
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x81: {
        // NEWOBJ: cls.__new__(cls, *args)
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x62: {
        // BUILD: obj.__setstate__(state) or obj.__dict__.update(state)
        const state = pop();
        const target = top();
        // An OrderedDict's state is its attributes (a state dict's `_metadata`), not items.
        const taken =
          (typeof target === 'object' && target !== null && dicts.has(target)) ||
          hooks.build?.(target, state);
        if (!taken) fail(`BUILD on a ${describe(target)} that takes no state`);
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        setKey(asDict(top()), key, value, fail);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        if (items.length % 2 !== 0) fail('SETITEMS with an odd number of items');
        const d = asDict(top());
        for (let i = 0; i < items.length; i += 2) setKey(d, items[i], items[i + 1], fail);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        const list = top();
        if (!Array.isArray(list)) fail(`APPEND to a ${describe(list)}`);
        (list as unknown[]).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = top();
        if (!Array.isArray(list)) fail(`APPENDS to a ${describe(list)}`);
        for (const v of items) (list as unknown[]).push(v);
        break;
      }
      case 0x51: // BINPERSID
        stack.push(hooks.persistentLoad(pop()));
        break;
      case 0x30: // POP
        pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      default:
        fail(`opcode 0x${op.toString(16)} is not supported`);
    }
  }
}
