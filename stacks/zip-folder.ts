/**
 * A folder as a zip file, made in this process. cdktf's ARCHIVE assets are zipped by a child node
 * process that cdktf starts synchronously on every synth (about 0.3 s here, most of it that process
 * starting), so the stacks give cdktf a FILE asset of a zip made here instead.
 *
 * The zip is deterministic: entries in one fixed order (each folder's names sorted, a folder's
 * files where its name sorts), one fixed timestamp (1980-01-01, the format's earliest), no extra
 * fields. Its bytes, and so the asset hash cdktf takes of them (the Lambda's
 * `source_code_hash`), change only when a file's path or content does. Entries are stored
 * uncompressed (method 0), which every unzip and AWS Lambda read; the folders these stacks ship are
 * a few hundred bytes. No ZIP64: a folder past the classic format's limits is refused by name.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { crc32 } from 'node:zlib';

/** 1980-01-01 00:00 in MS-DOS date and time fields. */
const DOS_DATE = (1 << 5) | 1;
const DOS_TIME = 0;
/** General-purpose flag bit 11: names are UTF-8. */
const UTF8_NAMES = 0x0800;
/** Version 2.0 of the format: what readers need for stored entries and folders in names. */
const VERSION = 20;
/** Made by a Unix host, so the external attributes carry a file mode (a regular file, rw-r--r--). */
const MADE_BY_UNIX = (3 << 8) | VERSION;
const FILE_MODE = 0o100644;
const LIMIT = 0xffffffff;

/** Every regular file under `root`, as forward-slash paths relative to it, each folder's names sorted. */
function filesUnder(root: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const stat = statSync(join(root, rel));
    if (stat.isDirectory()) out.push(...filesUnder(root, rel));
    else if (stat.isFile()) out.push(rel);
  }
  return out;
}

/**
 * The fields a local header and its central directory record share, in the same order in both:
 * version needed, flags, method (stored), time, date, CRC-32, compressed and uncompressed size,
 * name length.
 */
function writeEntryFields(header: Buffer, at: number, crc: number, size: number, nameLength: number): void {
  header.writeUInt16LE(VERSION, at);
  header.writeUInt16LE(UTF8_NAMES, at + 2);
  header.writeUInt16LE(0, at + 4);
  header.writeUInt16LE(DOS_TIME, at + 6);
  header.writeUInt16LE(DOS_DATE, at + 8);
  header.writeUInt32LE(crc, at + 10);
  header.writeUInt32LE(size, at + 14);
  header.writeUInt32LE(size, at + 18);
  header.writeUInt16LE(nameLength, at + 22);
}

/** The zip file's bytes for the files under `folder` (see the module doc for what is fixed). */
export function zipBytes(folder: string): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const files = filesUnder(folder);
  if (files.length > 0xffff) throw new Error(`zip of ${folder}: ${files.length} files, more than a zip without ZIP64 holds (65535)`);
  for (const rel of files) {
    const data = readFileSync(join(folder, rel));
    const name = Buffer.from(rel, 'utf8');
    if (data.length > LIMIT || offset > LIMIT) throw new Error(`zip of ${folder}: ${rel} lies past the 4 GiB a zip without ZIP64 holds`);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, crc, data.length, name.length);
    // extra field length: 0.
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(MADE_BY_UNIX, 4);
    writeEntryFields(central, 6, crc, data.length, name.length);
    // extra length, comment length, disk number, internal attributes: all 0 (Buffer.alloc).
    central.writeUInt32LE((FILE_MODE << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * This process's own directory for the zips: made with mkdtemp (mode 0700, a fresh name), so no other
 * user of the machine can plant or swap a zip between its writing and cdktf copying it into the
 * synth output, and removed when the process exits normally (cdktf has copied the assets by then;
 * a process killed by a signal leaves it behind in the temporary directory).
 */
let ownDir: string | undefined;
function assetsDir(): string {
  if (!ownDir || !existsSync(ownDir)) {
    const dir = mkdtempSync(join(tmpdir(), 'kmskit-assets-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    ownDir = dir;
  }
  return ownDir;
}

/**
 * Zips `folder` and returns the zip's path, `<this process's directory>/<hash of the bytes>/<folder
 * name>.zip`: cdktf names the asset in the synth output after the file, and one content is one file.
 */
export function zipFolder(folder: string): string {
  const bytes = zipBytes(folder);
  const dir = join(assetsDir(), createHash('sha256').update(bytes).digest('hex').slice(0, 32));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${basename(folder)}.zip`);
  writeFileSync(file, bytes);
  return file;
}
