// SPDX-License-Identifier: MIT
/**
 * The errno values the modelled ioctls return, with their names (include/uapi/asm-generic/
 * errno-base.h), and the shape every modelled ioctl answers with: the new world and the kernel's
 * return value. A failed ioctl changes nothing: it answers the very world object it was given.
 *
 * @module
 */

/** The errno values the model's ioctls can return. */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ENXIO: 6,
  ENOEXEC: 8,
  EAGAIN: 11,
  EFAULT: 14,
  EBUSY: 16,
  ENODEV: 19,
  EINVAL: 22,
} as const;

/** The name of an errno value the model returns. */
export type ErrnoName = keyof typeof ERRNO;

/**
 * What an ioctl did: `ret` is what the kernel returns (0, a value, or `-errno`); on failure
 * `errno` names it and `why` gives the check that failed, citing the kernel function.
 */
export interface IoctlResult<W> {
  readonly world: W;
  readonly ret: number;
  readonly errno?: ErrnoName;
  /** One line: which check decided, or what the call did. */
  readonly why: string;
}

/** A failed ioctl: the same world, `-errno` and the reason. */
export function fail<W>(world: W, errno: ErrnoName, why: string): IoctlResult<W> {
  return { world, ret: -ERRNO[errno], errno, why };
}

/** A successful ioctl. */
export function succeed<W>(world: W, why: string, ret = 0): IoctlResult<W> {
  return { world, ret, why };
}

/** `-EINVAL (22)`, for messages. */
export function errnoText(r: { readonly ret: number; readonly errno?: ErrnoName }): string {
  return r.errno === undefined ? String(r.ret) : `-${r.errno} (${ERRNO[r.errno]})`;
}
