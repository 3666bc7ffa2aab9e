/**
 * Reuse of the storage of gradients that a backward pass has consumed.
 *
 * In a training step the gradients flowing between a graph's nodes are
 * garbage as soon as the next node has used them, but the garbage collector
 * frees them only at its next cycle. Until then each new tensor of the step
 * gets a new ArrayBuffer (0.3–2 µs, plus its share of the collections that
 * external memory triggers) and memory the process may not have touched
 * since the last cycle. With many small tensors per step that adds up:
 * bench:train workload c (ten Linear layers of at most 16 features over
 * 1,024 rows, buffers of 4–64 KB) ran 7–13 % faster with reuse.
 *
 * So the autograd engine (`runBackward`) hands back the ArrayBuffers of the
 * gradients it allocated during the pass and then consumed — storage that
 * nothing but the engine ever saw: not a leaf's `.grad`, not a retained
 * gradient, not shared with a gradient still pending — and `allocUninit`
 * serves the next requests of exactly that size from them, most recent
 * first. Only whole buffers of `Buffer.allocUnsafeSlow` are taken (never a
 * slice of Node's shared small-buffer pool), at most {@link PER_SIZE} of a
 * size (and {@link LARGE_TOTAL} bytes in those of {@link SHARED_BELOW} or
 * more), and only until the backward pass after next begins: a size nobody
 * asked for by then goes back to the collector and the C allocator, where
 * any size can reuse the memory.
 */

/**
 * Whether this runtime has Node's `Buffer`: `allocUninit` takes uninitialised
 * storage from it (and recycled buffers); elsewhere storage is a zeroed
 * typed array and nothing is recycled.
 */
export const hasNodeBuffer =
  typeof globalThis.Buffer === 'function' &&
  typeof (globalThis.Buffer as { allocUnsafeSlow?: unknown }).allocUnsafeSlow === 'function';

/**
 * Buffers below this size serve any allocation of exactly their size.
 * Larger ones are kept for the gradients of the next backward pass, and for
 * a forward output only when they were one that was handed over to its
 * loss ({@link adoptHandedOver}), so that they come back again. A kept
 * buffer ages into V8's old generation, and an old ArrayBuffer that dies is
 * freed only by a full collection: when megabyte buffers also went to any
 * forward output (most die every step), V8 ran a full collection for
 * "external memory pressure" every few steps
 * (bench:train d-adaptive, --trace-gc: 15–23 instead of 2–3 in 70–120
 * steps, 25–40 % more CPU). A gradient is consumed by its pass and comes
 * back, so a buffer that serves only gradients keeps cycling instead of
 * dying old (d-adaptive: 10 full collections in 60 steps either way).
 *
 * Keeping them pays twice. A new buffer of 256 KB or more is C heap memory
 * freed at the collector's last cycle, up to a dozen steps ago, and long out
 * of the cache: bench:train a's 3000×100 hidden-layer gradient took 330 µs
 * to write there and 110 µs into last step's buffer (a: 1.85 → 1.60 ms per
 * step). Where the heap has no such block free, a new buffer is memory the
 * process has not touched, whose first writes fault and zero it page by
 * page (d-full's 51 MB logit gradient, when glibc still mapped blocks over
 * 32 MB on their own — see tuneMalloc in native/addon.cc: 6 ms per step on
 * huge pages, 27 ms without).
 */
const SHARED_BELOW = 256 << 10;

/** At most this many buffers of one size. */
const PER_SIZE = 8;
/** At most this many bytes kept in buffers of SHARED_BELOW or more. */
const LARGE_TOTAL = 256 << 20;
/** Bytes kept in buffers of SHARED_BELOW or more. */
let largeKept = 0;

/**
 * The kept buffers by size, each with the backward pass that released it and
 * whether it was handed over (see {@link adoptHandedOver}): only those serve
 * requests outside a backward pass.
 */
const pool = new Map<number, { buf: ArrayBuffer; pass: number; handedOver: boolean }[]>();
/** Backward passes begun so far. */
let passes = 0;

/** Lets go of the buffers released before pass `oldest`. */
function expire(oldest: number): void {
  for (const [bytes, list] of pool) {
    const keep = list.filter((e) => e.pass >= oldest);
    if (bytes >= SHARED_BELOW) largeKept -= (list.length - keep.length) * bytes;
    if (keep.length > 0) pool.set(bytes, keep);
    else pool.delete(bytes);
  }
}

/** Buffers made by `allocUninit` during the current backward pass (null outside one). */
let fresh: Set<ArrayBuffer> | null = null;
/** Those of them that a forward output handed over (see {@link adoptHandedOver}). */
let handedOver: Set<ArrayBuffer> | null = null;

/**
 * A recycled buffer for `bytes` bytes, if one is kept: below SHARED_BELOW one
 * of exactly that size; from there on the smallest kept one of at least
 * `bytes` and at most twice that (the caller views its first `bytes`),
 * inside a backward pass any such one, outside only one that was handed over.
 */
export function takeRecycled(bytes: number): ArrayBuffer | undefined {
  if (bytes < SHARED_BELOW) return pool.get(bytes)?.pop()?.buf;
  const inPass = fresh !== null;
  let best = 0;
  let at = -1;
  for (const [size, list] of pool) {
    if (size < bytes || size > 2 * bytes || (best !== 0 && size >= best)) continue;
    let i = list.length - 1;
    if (!inPass) while (i >= 0 && !list[i].handedOver) i--;
    if (i >= 0) [best, at] = [size, i];
  }
  if (best === 0) return undefined;
  const list = pool.get(best)!;
  const [entry] = list.splice(at, 1);
  if (list.length === 0) pool.delete(best);
  largeKept -= best;
  return entry.buf;
}

/**
 * Takes a forward output's storage into the current backward pass as if the
 * pass had allocated it, once the only op that saved it has written its
 * gradient over it (the fused cross-entropy of AdaptiveLogSoftmaxWithLoss's
 * own scores, which nothing else holds): the pass releases it when consumed,
 * and the next step's forward may take it back. Each step's scores then
 * cycle through the same buffers instead of being new external memory,
 * which V8 counts against the old generation's limit until its next full
 * collection. bench:train d-adaptive allocated 7.2 MB of new buffers a
 * step, 5.7 MB of them scores; after d-full in the same process (a tight
 * limit) that meant a full collection every five steps. With the cycle:
 * new external memory 7 → 1.5 MB a step, full collections 0.18 → 0.05 a
 * step, 8.1–8.9 → 5.1–5.5 ms a step (alone: 7.3–8.5 → 5.5 ms, the scores
 * no longer written into memory long out of the cache). Only whole buffers
 * of SHARED_BELOW or more are taken.
 */
export function adoptHandedOver(data: ArrayBufferView): void {
  const buf = data.buffer;
  if (!hasNodeBuffer || fresh === null || handedOver === null || !(buf instanceof ArrayBuffer))
    return;
  if (data.byteOffset !== 0 || buf.byteLength < SHARED_BELOW) return;
  fresh.add(buf);
  handedOver.add(buf);
}

/** Called by `allocUninit` for each whole buffer it makes (or reuses): those of a backward pass may come back. */
export function noteAllocated(buf: ArrayBuffer): void {
  if (fresh !== null) fresh.add(buf);
}

/** What a backward pass gets from {@link withRecycling}. */
export interface PassBuffers {
  /** Returns a buffer of this pass to the pool once nothing refers to it any more (the caller vouches for that). */
  release(buf: ArrayBuffer): void;
  /** Whether `buf` is a whole buffer allocated during this pass and not yet released. */
  isFresh(buf: ArrayBufferLike): boolean;
}

/**
 * Runs `body` (a backward pass) recording the buffers allocated in it;
 * `body` can return one of them to the pool once nothing refers to it any
 * more (the caller vouches for that), and ask whether a buffer is one of
 * them. Buffers not allocated during `body` are never taken.
 */
export function withRecycling<T>(body: (buffers: PassBuffers) => T): T {
  const [outer, outerHandedOver] = [fresh, handedOver];
  const mine = new Set<ArrayBuffer>();
  const mineHandedOver = new Set<ArrayBuffer>();
  const pass = ++passes;
  if (pool.size > 0) expire(pass - 1);
  [fresh, handedOver] = [mine, mineHandedOver];
  try {
    const release = (buf: ArrayBuffer): void => {
      if (!mine.delete(buf)) return;
      const wasHandedOver = mineHandedOver.delete(buf);
      const bytes = buf.byteLength;
      let list = pool.get(bytes);
      if (!list) pool.set(bytes, (list = []));
      if (list.length >= PER_SIZE) return;
      if (bytes >= SHARED_BELOW) {
        if (largeKept + bytes > LARGE_TOTAL) return;
        largeKept += bytes;
      }
      list.push({ buf, pass, handedOver: wasHandedOver });
    };
    return body({ release, isFresh: (buf) => mine.has(buf as ArrayBuffer) });
  } finally {
    [fresh, handedOver] = [outer, outerHandedOver];
  }
}
