// SPDX-License-Identifier: MIT
/**
 * The C integer conversions the modelled kernel functions rely on. The kernel code mixes `int`
 * (hpmn_max, whose -1 means "not partitioned") with `u8` (counter counts); C converts an `int`
 * assigned or returned as `u8` modulo 2^8 (C11 6.3.1.3), and promotes `u8` to `int` before
 * comparing (6.3.1.1), so comparisons between them are signed. JavaScript numbers compare as
 * the promoted `int`s do; only the conversions to `u8` need modelling.
 *
 * @module
 */

/** `(u8)x`: the value of the C `int` `x` converted to `u8` (modulo 256), so `-1` becomes 255. */
export function u8(x: number): number {
  return x & 0xff;
}

/** `(u64)x`: the value of the C `int` `x` converted to `u64` (modulo 2^64), so `-1` becomes all ones. */
export function u64(x: number | bigint): bigint {
  return BigInt.asUintN(64, BigInt(x));
}
