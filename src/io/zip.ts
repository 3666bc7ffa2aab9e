/**
 * The entries of a ZIP archive, as PyTorch's `torch.save` writes them
 * (uncompressed, "stored" entries; sizes in the central directory, since
 * the local headers defer them to data descriptors). Every offset and size is
 * checked against the archive before anything is read, so a truncated or
 * corrupt file is an error naming the problem, never an out-of-bounds read.
 */

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The stored entries of `bytes` by name (views into `bytes`, not copies). */
export function readZip(bytes: Uint8Array, where: string): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (what: string): never => {
    throw new Error(`${where}: not a PyTorch file (torch.save's ZIP archive): ${what}`);
  };
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--) {
    if (
      view.getUint32(at, true) === EOCD &&
      at + 22 + view.getUint16(at + 20, true) === bytes.length
    ) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail('no end-of-central-directory record (truncated, or not a ZIP file)');
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdStart = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdStart === 0xffffffff) {
    fail('ZIP64 archives (over 4 GB or 65,535 entries) are not supported');
  }
  if (cdStart + cdSize > eocd) fail('the central directory lies outside the file');
  const entries = new Map<string, Uint8Array>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let at = cdStart;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cdStart + cdSize || view.getUint32(at, true) !== CENTRAL) {
      fail(`central directory entry ${i} is damaged`);
    }
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const rawSize = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    if (at + 46 + nameLength > cdStart + cdSize) fail(`central directory entry ${i} is damaged`);
    let name: string;
    try {
      name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    } catch {
      return fail(`entry ${i} has a name that is not UTF-8`);
    }
    if (method !== 0 || size !== rawSize) {
      fail(
        `entry '${name}' is compressed (method ${method}); torch.save stores entries uncompressed`,
      );
    }
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) {
      fail(`entry '${name}' has no local header where the directory says`);
    }
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + size > cdStart) fail(`entry '${name}' runs past the data area`);
    if (entries.has(name)) fail(`entry '${name}' appears twice`);
    entries.set(name, bytes.subarray(start, start + size));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** CRC-32 (the ZIP polynomial 0xEDB88320), table-driven. */
const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(data: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/**
 * A ZIP archive laid out as PyTorch's writer (caffe2's PyTorchStreamWriter on
 * miniz) lays it out, byte for byte: stored entries whose data starts on a
 * 64-byte boundary (an "FB" extra field of 'Z' padding), sizes and CRC in a
 * data descriptor after each non-empty one, a central directory, then the ZIP64 end
 * records and the classic end record. Archives stay below 4 GB (typed
 * arrays do anyway).
 */
export function writeZip(entries: readonly (readonly [string, Uint8Array])[]): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const push = (b: Uint8Array) => {
    parts.push(b);
    offset += b.length;
  };
  for (const [name, data] of entries) {
    const nameBytes = encoder.encode(name);
    const start = offset + 30 + nameBytes.length + 4;
    const pad = (64 - (start % 64)) % 64;
    const local = new Uint8Array(30 + nameBytes.length + 4 + pad);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, LOCAL, true);
    // UTF-8 names; a data descriptor follows a non-empty entry (an empty one has none).
    const flags = data.length > 0 ? 0x0808 : 0x0800;
    lv.setUint16(6, flags, true);
    lv.setUint16(26, nameBytes.length, true);
    lv.setUint16(28, 4 + pad, true);
    local.set(nameBytes, 30);
    local[30 + nameBytes.length] = 0x46; // 'F'
    local[31 + nameBytes.length] = 0x42; // 'B'
    lv.setUint16(32 + nameBytes.length, pad, true);
    local.fill(0x5a, 34 + nameBytes.length); // 'Z'
    const headerAt = offset;
    push(local);
    push(data);
    const crc = crc32(data);
    if (data.length > 0) {
      const descriptor = new Uint8Array(16);
      const dv = new DataView(descriptor.buffer);
      dv.setUint32(0, 0x08074b50, true);
      dv.setUint32(4, crc, true);
      dv.setUint32(8, data.length, true);
      dv.setUint32(12, data.length, true);
      push(descriptor);
    }
    const entry = new Uint8Array(46 + nameBytes.length);
    const ev = new DataView(entry.buffer);
    ev.setUint32(0, CENTRAL, true);
    ev.setUint16(8, flags, true);
    ev.setUint32(16, crc, true);
    ev.setUint32(20, data.length, true);
    ev.setUint32(24, data.length, true);
    ev.setUint16(28, nameBytes.length, true);
    ev.setUint32(42, headerAt, true);
    entry.set(nameBytes, 46);
    central.push(entry);
  }
  const cdStart = offset;
  for (const c of central) push(c);
  const cdSize = offset - cdStart;
  const end = new Uint8Array(56 + 20 + 22);
  const v = new DataView(end.buffer);
  // ZIP64 end of central directory record
  v.setUint32(0, 0x06064b50, true);
  v.setBigUint64(4, 44n, true);
  v.setUint16(12, 0x031e, true); // made by: Unix, version 3.0
  v.setUint16(14, 45, true); // needed: 4.5 (ZIP64)
  v.setBigUint64(24, BigInt(entries.length), true);
  v.setBigUint64(32, BigInt(entries.length), true);
  v.setBigUint64(40, BigInt(cdSize), true);
  v.setBigUint64(48, BigInt(cdStart), true);
  // ZIP64 end of central directory locator
  v.setUint32(56, 0x07064b50, true);
  v.setBigUint64(64, BigInt(offset), true);
  v.setUint32(72, 1, true);
  // End of central directory record
  v.setUint32(76, EOCD, true);
  v.setUint16(84, entries.length, true);
  v.setUint16(86, entries.length, true);
  v.setUint32(88, cdSize, true);
  v.setUint32(92, cdStart, true);
  push(end);
  const out = new Uint8Array(offset);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
