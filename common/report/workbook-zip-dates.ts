/**
 * An .xlsx file is a zip, and exceljs (through JSZip) stamps every entry with the time it was
 * written: two builds of one report would differ in those bytes alone. This sets every entry's
 * time, in its local header and in the central directory, to the report's own time (UTC, to the
 * two seconds a zip holds), so a rebuild is byte-for-byte the same file.
 */

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/** A time as a zip's MS-DOS date and time fields (UTC; 1980 is the earliest a zip can say). */
function dosDateTime(time: Date): { date: number; time: number } {
  const year = Math.min(Math.max(time.getUTCFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((time.getUTCMonth() + 1) << 5) | time.getUTCDate(),
    time: (time.getUTCHours() << 11) | (time.getUTCMinutes() << 5) | Math.floor(time.getUTCSeconds() / 2),
  };
}

/** Sets the time of every entry of the zip in `bytes` (changed in place) to `time`; throws if it is not a zip. */
export function setZipEntryTimes(bytes: Uint8Array, time: Date): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stamp = dosDateTime(time);
  // The end-of-directory record is the last 22 bytes, unless a comment follows it (JSZip writes none).
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== END_OF_DIRECTORY) end--;
  if (end < 0) throw new Error('The workbook is not a zip file.');
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < entries; i++) {
    if (view.getUint32(at, true) !== DIRECTORY_ENTRY) throw new Error('The workbook zip has a broken directory.');
    view.setUint16(at + 12, stamp.time, true);
    view.setUint16(at + 14, stamp.date, true);
    const local = view.getUint32(at + 42, true);
    if (view.getUint32(local, true) !== LOCAL_HEADER) throw new Error('The workbook zip has a broken entry.');
    view.setUint16(local + 10, stamp.time, true);
    view.setUint16(local + 12, stamp.date, true);
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return bytes;
}
