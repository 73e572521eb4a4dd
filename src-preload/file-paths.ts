/**
 * Drag-and-drop in Electron: a dropped File's path comes from webUtils.getPathForFile,
 * which returns "" for files that are not on disk (dragged from a browser or an archive
 * viewer). That case is a typed error the Import screen can show.
 */
import type { Result } from './contract';

export const NO_FILE_PATH_MESSAGE =
  'This item is not a file on disk (drag files from a folder, not from a browser or an archive view).';

export function electronPathFor(
  getPathForFile: (file: File) => string,
): (file: File) => Promise<Result<string>> {
  return (file) => {
    let path: string;
    try {
      path = getPathForFile(file);
    } catch {
      path = '';
    }
    return Promise.resolve(
      path
        ? { ok: true, value: path }
        : { ok: false, error: { code: 'NO_FILE_PATH', message: NO_FILE_PATH_MESSAGE } },
    );
  };
}
