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
