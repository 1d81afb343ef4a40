import { HeadroomError } from '@headroom/core';

/** A write that failed (the run's spool, an artifact) as the error the user sees: a full disk, or a folder that cannot be written. */
export function writeError(err: NodeJS.ErrnoException, path: string): HeadroomError {
  if (err.code === 'ENOSPC' || err.code === 'EDQUOT') {
    return new HeadroomError(
      'E_DISK_FULL',
      `no space left on the disk holding ${path}: the run stopped being recorded there; free space and run again (what was written before is kept)`,
      { cause: err },
    );
  }
  return new HeadroomError(
    'E_ARTIFACTS',
    `cannot write ${path} (${err.code ?? err.message}); make the results folder writable or pass --db <file> elsewhere`,
    { cause: err },
  );
}
