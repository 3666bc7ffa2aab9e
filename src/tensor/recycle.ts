/**
 * Reuse of the storage of gradients that a backward pass has consumed.
 *
 * In a training step the gradients flowing between a graph's nodes are
 * garbage as soon as the next node has used them, but the garbage collector
 * frees them only at its next cycle. Until then every new tensor of the
 * step gets memory the process has not touched since the last cycle: page
 * faults and cache misses on each output (measured: a ReLU over 300,000
 * float32 took 97–115 µs into a fresh buffer, 51 µs into a reused one).
 *
 * So the autograd engine (`runBackward`) hands back the ArrayBuffers of the
 * gradients it allocated during the pass and then consumed — storage that
 * nothing but the engine ever saw: not a leaf's `.grad`, not a retained
 * gradient, not shared with a gradient still pending — and `allocUninit`
 * serves the next requests of exactly that size from them, most recent
 * first. Only whole buffers of `Buffer.allocUnsafeSlow` are taken (never a
 * slice of Node's shared small-buffer pool), and at most {@link POOL_BYTES}
 * bytes are kept.
 */

/** The most bytes kept for reuse; a buffer that does not fit is left to the collector. */
const POOL_BYTES = 64 << 20;
/** At most this many buffers of one size. */
const PER_SIZE = 8;
/**
 * From this size on, a buffer is handed out as a new ArrayBuffer object
 * that takes over its memory (a transfer: no copy, about 1–3 µs). A kept
 * buffer has survived into V8's old generation, and an old ArrayBuffer
 * that dies (a forward output of the next step) is freed only by a full
 * collection: the megabytes of a large-vocabulary step, left to those,
 * made V8 run a full collection every few steps for "external memory
 * pressure" (measured on bench:train d-adaptive: 23 instead of 3 in 120
 * steps, CPU time 12.5 instead of 9.7 ms per step). The new object is
 * young, so a scavenge frees it as before. Smaller buffers are reused as
 * they are: there the transfer costs more than it saves.
 */
const TRANSFER_FROM = 256 << 10;

const pool = new Map<number, ArrayBuffer[]>();
let pooledBytes = 0;

/** Buffers made by `allocUninit` during the current backward pass (null outside one). */
let fresh: Set<ArrayBuffer> | null = null;

/** A recycled buffer of exactly `bytes` bytes, if one is kept. */
export function takeRecycled(bytes: number): ArrayBuffer | undefined {
  const list = pool.get(bytes);
  const buf = list?.pop();
  if (!buf) return undefined;
  pooledBytes -= bytes;
  return bytes < TRANSFER_FROM ? buf : structuredClone(buf, { transfer: [buf] });
}

/** Called by `allocUninit` for each whole buffer it makes (or reuses). */
export function noteAllocated(buf: ArrayBuffer): void {
  if (fresh !== null) fresh.add(buf);
}

/**
 * Runs `body` (a backward pass) recording the buffers allocated in it;
 * `body` gets a function that returns one of them to the pool once nothing
 * refers to it any more (the caller vouches for that). Buffers not
 * allocated during `body` are never taken.
 */
export function withRecycling<T>(body: (release: (buf: ArrayBuffer) => void) => T): T {
  const outer = fresh;
  const mine = new Set<ArrayBuffer>();
  fresh = mine;
  try {
    return body((buf) => {
      if (!mine.delete(buf)) return;
      const bytes = buf.byteLength;
      if (pooledBytes + bytes > POOL_BYTES) return;
      let list = pool.get(bytes);
      if (!list) pool.set(bytes, (list = []));
      if (list.length >= PER_SIZE) return;
      list.push(buf);
      pooledBytes += bytes;
    });
  } finally {
    fresh = outer;
  }
}
