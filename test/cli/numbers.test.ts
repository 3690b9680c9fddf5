// SPDX-License-Identifier: MIT
// Issue 11, point 1: register values are hex when bare (as a trace prints them), decimal only
// with 0d; counts stay decimal. Expected values are the (0x86 = 134) and the Arm ARM's
// bit positions: MDCR_EL2.HPMN [4:0], HPME [7], HPMD [17] (D24.3.17); PMCR_EL0.N [15:11] (D24.5.8).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCount, parseRegisterValue } from '../../src/arch/fields.js';
import { runPmup } from '../../src/cli/pmup.js';

function run(...argv: string[]) {
  return runPmup(argv);
}

describe('parseRegisterValue: hex when bare, 0d decimal, 0x hex, 0b binary', () => {
  const cases: [string, bigint][] = [
    ['86', 0x86n],
    ['0000000000000086', 0x86n],
    ['0x86', 0x86n],
    ['0X86', 0x86n],
    ['0d134', 134n],
    ['0b10000110', 0x86n],
    ['ffffffffffffffff', (1n << 64n) - 1n],
    ['DEADbeef', 0xdeadbeefn],
    ['10', 0x10n],
    ['0d10', 10n],
    ['0b1', 1n],
    ['0x0b1', 0xb1n],
    ['0x0d12a', 0xd12an],
    ['8000_0000', 0x80000000n],
    [' 86 ', 0x86n],
  ];
  for (const [text, want] of cases) {
    test(`${JSON.stringify(text)} is ${want}`, () => assert.equal(parseRegisterValue(text, 'v'), want));
  }
  for (const bad of ['', 'zz', '0x', '0d', '0d12a', '0b102', '1.5', '0x-1']) {
    test(`${JSON.stringify(bad)} is an error naming the input`, () => {
      assert.throws(
        () => parseRegisterValue(bad, 'MDCR_EL2 value'),
        new RegExp(
          `^InputError: Cannot read MDCR_EL2 value ${JSON.stringify(bad).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
        ),
      );
    });
  }
  test('a negative value is its own error', () => {
    assert.throws(() => parseRegisterValue('-1', 'MDCR_EL2 value'), /cannot be negative/);
  });
});

describe('parseCount: decimal, 0x and 0b accepted', () => {
  const cases: [string, bigint][] = [
    ['10', 10n],
    ['0', 0n],
    ['0x10', 16n],
    ['0b11', 3n],
    ['1_000', 1000n],
  ];
  for (const [text, want] of cases) {
    test(`${JSON.stringify(text)} is ${want}`, () => assert.equal(parseCount(text, 'n'), want));
  }
  for (const bad of ['', 'ff', '0d10', 'four', '1e3']) {
    test(`${JSON.stringify(bad)} is an error`, () => {
      assert.throws(
        () => parseCount(bad, '--nr'),
        /^InputError: Cannot read --nr .*expected a decimal count/,
      );
    });
  }
  test('a negative count is its own error', () => {
    assert.throws(() => parseCount('-2', '--nr'), /a count cannot be negative/);
  });
});

describe('pmup decode: VALUE as a trace prints it', () => {
  for (const text of ['86', '0000000000000086', '0x86', '0d134', '0b10000110']) {
    test(`MDCR_EL2 ${text} is 0x86: HPME = 1, HPMN = 6`, () => {
      const r = run('decode', 'MDCR_EL2', text);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout.split('\n')[0], 'MDCR_EL2 = 0x0000000000000086  (Arm ARM D24.3.17)');
      const j = JSON.parse(run('decode', 'MDCR_EL2', text, '--json').stdout);
      assert.equal(j.value, '0x86');
      const f = Object.fromEntries(
        (j.fields as { name: string; value: string }[]).map((x) => [x.name, x.value]),
      );
      assert.equal(f['HPMN'], '0x6');
      assert.equal(f['HPME'], '0x1');
      assert.equal(f['TPM'], '0x0');
    });
  }
  test('bare 10 is 0x10 (HPMN = 16), 0d10 is ten (HPMN = 10)', () => {
    const hpmn = (v: string) =>
      (
        JSON.parse(run('decode', 'MDCR_EL2', v, '--json').stdout).fields as { name: string; value: string }[]
      ).find((x) => x.name === 'HPMN')?.value;
    assert.equal(hpmn('10'), '0x10');
    assert.equal(hpmn('0d10'), '0xa');
  });
});

describe('pmup encode: --base is a register value, FIELD=VALUE a count', () => {
  test('--base 20000 is 0x20000 (HPMD); HPMN=10 is ten', () => {
    assert.equal(run('encode', 'MDCR_EL2', 'HPMN=10', '--base', '20000').stdout, '0x2000a\n');
  });
  test('--base 0d131072 is 0x20000 too', () => {
    assert.equal(run('encode', 'MDCR_EL2', 'HPMN=10', '--base', '0d131072').stdout, '0x2000a\n');
  });
  test('a field value keeps 0x and 0b', () => {
    assert.equal(run('encode', 'MDCR_EL2', 'HPMN=0x10').stdout, '0x10\n');
    assert.equal(run('encode', 'MDCR_EL2', 'HPMN=0b11').stdout, '0x3\n');
  });
  test('a field value is not read as hex', () => {
    const r = run('encode', 'MDCR_EL2', 'HPMN=1f');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^pmup: Cannot read MDCR_EL2\.HPMN "1f": expected a decimal count/);
  });
});

describe('pmup insn and access: bare hex', () => {
  test('insn d53b9c00 is mrs x0, PMCR_EL0 (C6.2 MRS, S3_3_C9_C12_0)', () => {
    assert.equal(run('insn', 'd53b9c00').stdout, 'mrs x0, PMCR_EL0  (S3_3_C9_C12_0, Arm ARM D24.5.8)\n');
  });
  test('access --set MDCR_EL2=84: EL1 reads PMCR_EL0.N = HPMN = 4 (D24.5.8), the header shows 0x84', () => {
    const r = run('access', '--cpu', 'neoverse-n2', '--set', 'MDCR_EL2=84', 'read', 'PMCR_EL0');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout.split('\n')[0],
      'EL1 read of PMCR_EL0 on neoverse-n2 (MDCR_EL2 = 0x0000000000000084): ok, value 0x2000',
    );
  });
  test('access write REG 1f writes 0x1f, shown in the header', () => {
    const r = run('access', '--cpu', 'neoverse-n2', '--el', '2', 'write', 'PMSELR_EL0', '1f');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^EL2 write of PMSELR_EL0 = 0x000000000000001f on neoverse-n2: ok/);
  });
});

describe('pmup kvm: counts are decimal', () => {
  test('--nr 0x4 is 4, as --nr 4', () => {
    const a = JSON.parse(
      run('kvm', '--cpu', 'qemu-max-8-2', '--reserved-host', '2', '--nr', '0x4', '--policy', 'v6', '--json')
        .stdout,
    );
    assert.equal(a.nrPmuCounters, 4);
  });
});
