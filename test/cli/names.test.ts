// SPDX-License-Identifier: MIT
// Issue 11, point 3: one naming rule. Encodings from the Arm ARM: PMCR_EL0 is S3_3_C9_C12_0
// (D24.5.8), MDCR_EL2 S3_4_C1_C1_1 (D24.3.17), PMEVCNTR<n>_EL0 S3_3_C14_C8+n<4:3>_n<2:0>
// (D24.5.10), so PMEVCNTR5_EL0 is S3_3_C14_C8_5 and PMEVCNTR13_EL0 (n = 0b01101) S3_3_C14_C9_5.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runPmup } from '../../src/cli/pmup.js';
import { answerLine } from '../../src/protocol/batch.js';

function run(...argv: string[]) {
  return runPmup(argv);
}

function firstLine(...argv: string[]): string {
  const r = run(...argv);
  assert.equal(r.stderr, '');
  return r.stdout.split('\n')[0]!;
}

function badInput(argv: string[], message: string): void {
  const r = run(...argv);
  assert.equal(r.status, 2, r.stdout);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `pmup: ${message}\n`);
}

describe('generic names S<op0>_<op1>_C<n>_C<m>_<op2> everywhere a register is named', () => {
  test('regs S3_3_C9_C12_0 is PMCR_EL0', () => {
    assert.equal(firstLine('regs', 'S3_3_C9_C12_0'), 'PMCR_EL0  S3_3_C9_C12_0  (Arm ARM D24.5.8)');
  });
  test('regs s3_3_c14_c9_5 (any case) is PMEVCNTR13_EL0', () => {
    assert.equal(firstLine('regs', 's3_3_c14_c9_5'), 'PMEVCNTR13_EL0  S3_3_C14_C9_5  (Arm ARM D24.5.10)');
  });
  test('decode S3_4_C1_C1_1 86 decodes MDCR_EL2', () => {
    assert.equal(
      firstLine('decode', 'S3_4_C1_C1_1', '86'),
      'MDCR_EL2 = 0x0000000000000086  (Arm ARM D24.3.17)',
    );
  });
  test('encode S3_4_C1_C1_1 HPMN=4 HPME=1 is 0x84', () => {
    assert.equal(run('encode', 'S3_4_C1_C1_1', 'HPMN=4', 'HPME=1').stdout, '0x84\n');
  });
  test('access --set S3_4_C1_C1_1=4 read S3_3_C9_C12_0: EL1 sees PMCR_EL0.N = 4', () => {
    assert.equal(
      firstLine('access', '--cpu', 'neoverse-n2', '--set', 'S3_4_C1_C1_1=4', 'read', 'S3_3_C9_C12_0'),
      'EL1 read of PMCR_EL0 on neoverse-n2 (MDCR_EL2 = 0x0000000000000004): ok, value 0x2000',
    );
  });
  test('insn "mrs x0, S3_3_C9_C12_0" is 0xd53b9c00', () => {
    assert.equal(firstLine('insn', 'mrs x0, S3_3_C9_C12_0'), '0xd53b9c00  mrs x0, PMCR_EL0  (S3_3_C9_C12_0)');
  });
  test('insn "msr S3_3_C14_C8_5, x1" is an MSR of PMEVCNTR5_EL0 (C6.2 MSR (register))', () => {
    // 0b1101010100 [31:22], L = 0, bit 20 = 1, o0 = 1 (op0 3), op1 3, CRn 14, CRm 8, op2 5, Rt 1.
    const word =
      (0b1101010100 << 22) | (1 << 20) | (1 << 19) | (3 << 16) | (14 << 12) | (8 << 8) | (5 << 5) | 1;
    assert.equal(
      firstLine('insn', 'msr S3_3_C14_C8_5, x1'),
      `0x${(word >>> 0).toString(16)}  msr PMEVCNTR5_EL0, x1  (S3_3_C14_C8_5)`,
    );
  });
  test('the batch protocol takes them too', () => {
    const a = JSON.parse(
      answerLine(
        JSON.stringify({
          id: 'g',
          cpu: 'neoverse-n2',
          regs: { S3_4_C1_C1_1: '0x4' },
          steps: [{ el: 1, read: 'S3_3_C9_C12_0' }],
          final: ['S3_4_C1_C1_1'],
        }),
      ),
    );
    assert.deepEqual(a, {
      id: 'g',
      results: [{ outcome: 'ok', value: '0x2000' }],
      final: { MDCR_EL2: '0x4' },
    });
  });
  test('an encoding of no catalogue register is an error naming it', () => {
    badInput(['decode', 'S3_3_C9_C15_7', '0'], 'No register of the catalogue is encoded as S3_3_C9_C15_7');
    badInput(
      ['regs', 'S3_3_C16_C1_0'],
      'Cannot read S3_3_C16_C1_0: a system register encoding has op0 0..3, op1 0..7, CRn 0..15, CRm 0..15, op2 0..7',
    );
  });
});

describe('PMEVCNTR<n>_EL0 as regs lists it', () => {
  test('regs takes the family', () => {
    for (const name of ['PMEVCNTR<n>_EL0', 'pmevcntr<n>_el0']) {
      assert.equal(firstLine('regs', name), 'PMEVCNTR<n>_EL0  S3_3_C14_C8+n<4:3>_n<2:0>  (Arm ARM D24.5.10)');
    }
    const j = JSON.parse(run('regs', 'PMEVTYPER<n>_EL0', '--json').stdout);
    assert.equal(j.name, 'PMEVTYPER<n>_EL0');
  });
  test('regs lists every family by that name', () => {
    const listed = run('regs')
      .stdout.split('\n')
      .map((l) => l.split(/\s+/)[0]!)
      .filter((n) => n.includes('<n>'));
    assert.ok(listed.length > 0);
    for (const name of listed) assert.equal(run('regs', name).status, 0, name);
  });
  test('decode, access and encode ask for an instance', () => {
    const msg = 'PMEVCNTR<n>_EL0 is a family: name an instance, e.g. PMEVCNTR0_EL0';
    badInput(['decode', 'PMEVCNTR<n>_EL0', '0'], msg);
    badInput(['access', '--cpu', 'neoverse-n2', 'read', 'PMEVCNTR<n>_EL0'], msg);
    badInput(['encode', 'pmevcntr<n>_el0', 'EVCNT=1'], msg);
  });
});

describe('policy and CPU names ignore case', () => {
  test('--policy V6 is v6', () => {
    const args = ['kvm', '--cpu', 'qemu-max-8-2', '--reserved-host', '2', '--nr', '4', '--json'];
    const upper = run(...args, '--policy', 'V6');
    assert.equal(upper.stderr, '');
    assert.equal(upper.stdout, run(...args, '--policy', 'v6').stdout);
    assert.equal(JSON.parse(upper.stdout).policy, 'v6');
  });
  test('--cpu Neoverse-N2 is neoverse-n2', () => {
    assert.match(firstLine('access', '--cpu', 'Neoverse-N2', 'read', 'PMCR_EL0'), /on neoverse-n2: /);
  });
});

describe('encode: an unknown value name lists the names allowed', () => {
  test('ID_AA64DFR0_EL1 PMUVer=V3P6', () => {
    // D24.2.80 ID_AA64DFR0_EL1.PMUVer: NI, IMP, V3P1, V3P4, V3P5, V3P7, V3P8, V3P9, IMP_DEF.
    const r = run('encode', 'ID_AA64DFR0_EL1', 'PMUVer=V3P6');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^pmup: Unknown value "V3P6" for ID_AA64DFR0_EL1\.PMUVer/);
    for (const name of ['NI', 'IMP', 'V3P1', 'V3P4', 'V3P5', 'V3P7', 'V3P8', 'V3P9', 'IMP_DEF']) {
      assert.match(r.stderr, new RegExp(`\\b${name}\\b`));
    }
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  });
  test('names ignore case: PMUVer=v3p5 is 0x600 (0b0110 in [11:8])', () => {
    assert.equal(run('encode', 'ID_AA64DFR0_EL1', 'PMUVer=v3p5').stdout, '0x600\n');
  });
});
