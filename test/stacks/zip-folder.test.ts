import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { zipBytes, zipFolder } from '../../stacks/zip-folder.js';

const dirs: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kmskit-zip-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const FILES = { 'index.mjs': 'export const handler = async () => 1;\n', 'lib/util.js': 'module.exports = 2;\n', 'lib/données.txt': 'é\n' };

const python = spawnSync('python3', ['-c', 'import zipfile'], { encoding: 'utf8' });
const noPython = python.error ? python.error.message : python.status !== 0 ? python.stderr.trim() : '';
if (noPython) console.log(`skipping the python3 zipfile check of stacks/zip-folder: ${noPython}`);

describe('stacks/zip-folder: the Lambda asset zip made in-process', () => {
  it.skipIf(Boolean(noPython))('is a zip another implementation reads back: every file, path and byte, CRCs checked', () => {
    const zip = join(folder({}), 'out.zip');
    writeFileSync(zip, zipBytes(folder(FILES)));
    const read = spawnSync(
      'python3',
      ['-c', 'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nbad=z.testzip()\nprint(json.dumps({"bad":bad,"files":{i.filename:z.read(i).decode("utf-8") for i in z.infolist()},"modes":[oct(i.external_attr>>16) for i in z.infolist()]}))', zip],
      { encoding: 'utf8' },
    );
    expect(read.stderr).toBe('');
    const out = JSON.parse(read.stdout) as { bad: string | null; files: Record<string, string>; modes: string[] };
    expect(out.bad).toBeNull();
    expect(out.files).toEqual(FILES);
    expect(Object.keys(out.files)).toEqual(['index.mjs', 'lib/données.txt', 'lib/util.js']);
    expect(new Set(out.modes)).toEqual(new Set(['0o100644']));
  });

  it('is the same bytes for the same files, whatever their timestamps; a changed file changes them', () => {
    const a = folder(FILES);
    const b = folder(FILES);
    utimesSync(join(b, 'index.mjs'), new Date('2001-02-03T04:05:06Z'), new Date('2001-02-03T04:05:06Z'));
    expect(zipBytes(a).equals(zipBytes(b))).toBe(true);
    writeFileSync(join(b, 'lib/util.js'), 'module.exports = 3;\n');
    expect(zipBytes(a).equals(zipBytes(b))).toBe(false);
  });

  it('zipFolder writes the zip, named after the folder, in a directory only this user can open', () => {
    const src = folder(FILES);
    const path = zipFolder(src);
    expect(basename(path)).toBe(`${basename(src)}.zip`);
    expect(readFileSync(path).equals(zipBytes(src))).toBe(true);
    expect(zipFolder(src)).toBe(path);
    expect(statSync(dirname(dirname(path))).mode & 0o777).toBe(0o700);
    // Gone (a tidy-up of the temporary directory): the next zip gets a fresh private directory.
    rmSync(dirname(dirname(path)), { recursive: true });
    const again = zipFolder(src);
    expect(dirname(dirname(again))).not.toBe(dirname(dirname(path)));
    expect(statSync(dirname(dirname(again))).mode & 0o777).toBe(0o700);
    rmSync(dirname(dirname(again)), { recursive: true });
  });
});
