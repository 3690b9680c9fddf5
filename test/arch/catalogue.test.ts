// SPDX-License-Identifier: MIT
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkCatalogue, checkRegister, encodingOf, lookupRegister } from '../../src/arch/catalogue.js';
import { REGISTERS } from '../../src/arch/registers/mod.js';
import type { RegisterDef } from '../../src/arch/registers/types.js';

describe('checkCatalogue()', () => {
  test('every register describes bits 63..0 exactly once, in order, with known features', () => {
    assert.deepEqual(checkCatalogue(), []);
  });
});

describe('checkRegister() catches broken data, naming register and bit', () => {
  const base: RegisterDef = {
    name: 'TEST_EL1',
    encoding: { op0: 3, op1: 0, crn: 9, crm: 9, op2: 0 },
    width: 64,
    feature: 'FEAT_PMUv3',
    access: { el0: 'UNDEFINED', el1: 'RW', el2: 'RW', el3: 'RW' },
    section: 'none',
    description: 'test register',
    fields: [
      { name: 'RES0', bits: [63, 8], description: 'Reserved' },
      { name: 'A', bits: [7, 4], description: 'a' },
      { name: 'B', bits: [3, 0], description: 'b' },
    ],
  };
  const cases: [string, Partial<RegisterDef>, string][] = [
    [
      'a gap',
      {
        fields: [
          { name: 'RES0', bits: [63, 8], description: 'r' },
          { name: 'B', bits: [3, 0], description: 'b' },
        ],
      },
      'TEST_EL1: bits [7:4] are not described (field B [3:0] starts at bit 3, not 7)',
    ],
    [
      'an overlap',
      {
        fields: [
          { name: 'RES0', bits: [63, 8], description: 'r' },
          { name: 'A', bits: [7, 4], description: 'a' },
          { name: 'B', bits: [4, 0], description: 'b' },
        ],
      },
      'TEST_EL1: field B [4:0] overlaps bit 4, already described (expected msb 3)',
    ],
    [
      'missing low bits',
      {
        fields: [
          { name: 'RES0', bits: [63, 8], description: 'r' },
          { name: 'A', bits: [7, 4], description: 'a' },
        ],
      },
      'TEST_EL1: bits [3:0] are not described',
    ],
    [
      'an unknown feature',
      {
        fields: [
          { name: 'RES0', bits: [63, 8], description: 'r' },
          // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong data
          { name: 'A', bits: [7, 4], description: 'a', feature: 'FEAT_NOPE' as any },
          { name: 'B', bits: [3, 0], description: 'b' },
        ],
      },
      'TEST_EL1: field A [7:4]: unknown feature FEAT_NOPE',
    ],
    [
      'a value that does not fit',
      {
        fields: [
          { name: 'RES0', bits: [63, 8], description: 'r' },
          { name: 'A', bits: [7, 4], description: 'a', values: [{ value: 16, meaning: 'x' }] },
          { name: 'B', bits: [3, 0], description: 'b' },
        ],
      },
      'TEST_EL1: field A [7:4]: value 16 does not fit in 4 bits',
    ],
  ];
  for (const [what, patch, expected] of cases) {
    test(`reports ${what}`, () => {
      assert.deepEqual(checkRegister({ ...base, ...patch }), [expected]);
    });
  }
  test('accepts the well-formed register', () => {
    assert.deepEqual(checkRegister(base), []);
  });
});

describe('lookupRegister()', () => {
  test('finds MDCR_EL2 case-insensitively', () => {
    assert.equal(lookupRegister('mdcr_el2').def.name, 'MDCR_EL2');
  });
  test('suggests close names for an unknown register', () => {
    assert.throws(() => lookupRegister('MDCR_EL1'), /Unknown register MDCR_EL1 \(did you mean MDCR_EL2/);
  });
  test('every register is found by its own name (or its instance 0)', () => {
    for (const def of REGISTERS) {
      const name = def.index === undefined ? def.name : def.name.replace('<n>', '0');
      assert.equal(lookupRegister(name).def, def);
      assert.deepEqual(encodingOf(def, def.index === undefined ? undefined : 0), def.encoding);
    }
  });
});
