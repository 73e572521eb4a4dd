/** The preload's answer for a dropped file: its path, or a typed error when it has none. */
import { describe, expect, it } from 'vitest';
import { NO_FILE_PATH_MESSAGE, electronPathFor } from '../../../src-preload/file-paths';

const file = new File(['x'], 'scan.nessus');

describe('electronPathFor', () => {
  it('gives the path Electron knows for the file', async () => {
    const seen: File[] = [];
    const pathFor = electronPathFor((f) => (seen.push(f), '/media/usb/scan.nessus'));
    expect(await pathFor(file)).toEqual({ ok: true, value: '/media/usb/scan.nessus' });
    expect(seen).toEqual([file]);
  });

  it('turns "not on disk" (empty path or a throw) into NO_FILE_PATH', async () => {
    const expected = { ok: false, error: { code: 'NO_FILE_PATH', message: NO_FILE_PATH_MESSAGE } };
    expect(await electronPathFor(() => '')(file)).toEqual(expected);
    expect(
      await electronPathFor(() => {
        throw new TypeError('not a File');
      })(file),
    ).toEqual(expected);
  });
});
