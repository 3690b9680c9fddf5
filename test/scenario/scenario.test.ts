// SPDX-License-Identifier: MIT
// Scenario files (src/scenario/): errors name file and line; a scenario run on the model gives
// the Arm ARM's answers, and the set of permitted outcomes where the Arm ARM leaves a choice.
// Values: PMCR_EL0 IMP [31:24], IDCODE [23:16], N [15:11] (D24.5.8); from EL1 with EL2 enabled N
// reads the Effective HPMN (D24.5.8 N). QEMU 7.2 cortex-a57: IMP 0x41, IDCODE 0x01, N = 6 (cpus.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { lookupCpu } from '../../src/arch/cpus.js';
import { runPmup } from '../../src/cli/pmup.js';
import { runScenarioOnModel } from '../../src/scenario/model.js';
import { parseScenarioFile } from '../../src/scenario/schema.js';

const A57 = lookupCpu('qemu-virt-cortex-a57');

function file(scenario: string): string {
  return `{
  "cpus": ["qemu-virt-cortex-a57"],
  "scenarios": [
    ${scenario}
  ]
}`;
}

describe('scenario files: one-line errors with file and line', () => {
  const cases: [string, string, RegExp][] = [
    [
      'unknown member',
      file('{"name": "a",\n "guest": [],\n "bogus": 1}'),
      /^f\.json:6: scenarios\[0\]: unknown member "bogus"$/,
    ],
    [
      'bad hex',
      file('{"name": "a",\n "guest": [\n {"msr": "PMCR_EL0", "value": "0xzz"}]}'),
      /^f\.json:6: scenarios\[0\]\.guest\[0\]\.value: expected a hex string/,
    ],
    [
      'unknown register',
      file('{"name": "a",\n "guest": [\n\n {"mrs": "PMCR_EL9"}]}'),
      /^f\.json:7: scenarios\[0\]\.guest\[0\]: .*PMCR_EL9/,
    ],
    ['unknown CPU', '{"cpus": ["cortex-a99"], "scenarios": []}', /^f\.json:1: /],
    ['broken JSON', '{\n "cpus": [\n "x",,\n]}', /^f\.json:3: not valid JSON/],
    [
      'el2 register',
      file('{"name": "a",\n "el2": {\n "MDCR_EL9": "0x2"}, "guest": []}'),
      /^f\.json:6: scenarios\[0\]\.el2\.MDCR_EL9: /,
    ],
    [
      'expect without label',
      file('{"name": "a", "guest": [],\n "expect": {"x": "ok"}}'),
      /^f\.json:5: expect: no instruction is labelled "x"$/,
    ],
  ];
  for (const [what, text, re] of cases) {
    test(what, () => {
      assert.throws(
        () => parseScenarioFile(text, 'f.json'),
        (e: Error) => {
          assert.equal(e.name, 'InputError');
          assert.match(e.message, re);
          assert.ok(!e.message.includes('\n'));
          return true;
        },
      );
    });
  }

  test('pmup run on a broken file: one line, exit 2, no output', () => {
    const r = runPmup(['run', 'test/scenario/no-such-file.json']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^pmup: test\/scenario\/no-such-file\.json: cannot read the scenario file \(ENOENT\)\n$/,
    );
  });
});

/** pmup run of scenarios/hpmn.json's HPMN = 3 scenario on QEMU's cortex-a57. */
function runHpmn3(...extra: string[]) {
  return runPmup([
    'run',
    'scenarios/hpmn.json',
    '--cpu',
    'qemu-virt-cortex-a57',
    '--scenario',
    'hpmn-3',
    ...extra,
  ]);
}

describe('scenarios on the model', () => {
  const text = file(`{"name": "split",
    "el2": {"MDCR_EL2": "0x2"},
    "before": [{"msr": "PMEVCNTR1_EL0", "value": "0x1001"}, {"msr": "PMEVCNTR3_EL0", "value": "0x1003"}],
    "guest": [{"mrs": "PMCR_EL0", "as": "n"}, {"mrs": "PMEVCNTR1_EL0", "as": "c1"}, {"mrs": "PMEVCNTR3_EL0", "as": "c3"}],
    "after": [{"mrs": "PMCR_EL0", "as": "n2"}]}`);
  const s = parseScenarioFile(text, 'f.json').scenarios[0]!;
  const run = runScenarioOnModel(s, A57);
  const at = (label: string) => run.observations.find((o) => o.label === label)!;

  test('EL1 reads PMCR_EL0.N = HPMN = 2, EL2 reads N = 6 (D24.5.8 N)', () => {
    assert.deepEqual(
      at('n').options.map((o) => o.obs),
      [{ kind: 'value', value: 0x41011000n }],
    );
    assert.deepEqual(
      at('n2').options.map((o) => o.obs),
      [{ kind: 'value', value: 0x41013000n }],
    );
  });

  test('PMEVCNTR1_EL0 (1 < HPMN) reads what EL2 wrote', () => {
    assert.deepEqual(
      at('c1').options.map((o) => o.obs),
      [{ kind: 'value', value: 0x1001n }],
    );
  });

  test('PMEVCNTR3_EL0 (HPMN <= 3 < N) from EL1 without FEAT_FGT: the D24.5.10 set, never counter 3 itself', () => {
    const obs = at('c3').options.map((o) => o.obs);
    // UNDEFINED, RAZ/WI, NOP, as if an accessible index (0, 1), trap to EL2 (D24.5.10 "Accessing");
    // as-index-0 reads counter 0, which is 0: the same outcome as RAZ/WI, so five outcomes.
    assert.equal(obs.length, 5);
    assert.ok(obs.some((o) => o.kind === 'undefined'));
    assert.ok(obs.some((o) => o.kind === 'nop'));
    assert.ok(obs.some((o) => o.kind === 'value' && o.value === 0n));
    assert.ok(obs.some((o) => o.kind === 'value' && o.value === 0x1001n));
    assert.ok(obs.some((o) => o.kind === 'trap' && o.toEl === 2 && o.ec === 0x18));
    assert.ok(!obs.some((o) => o.kind === 'value' && o.value === 0x1003n));
  });

  test('a guide keeps the states that give the observation seen', () => {
    const guided = runScenarioOnModel(s, A57, (l) => (l === 'c3' ? { kind: 'value', value: 0n } : undefined));
    assert.equal(guided.observations.length, run.observations.length);
  });

  test('pmup run prints the set and checks expectations', () => {
    // HPMN = 3: EL1 reads N = 3 (3 << 11 = 0x1800), counter 2 (< HPMN) as written, counter 3 the
    // D24.5.10 set; the file's expectations hold.
    const r = runHpmn3();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^ {2}el1 pmcr +0x41011800$/m);
    assert.match(r.stdout, /^ {2}el1 evcntr2 +0x1002$/m);
    assert.match(
      r.stdout,
      /el1 evcntr3 +one of: UNDEFINED \[PMUEVENTCOUNTER=undefined\] \| 0x0 \[PMUEVENTCOUNTER=raz-wi\]/,
    );
    // README's example shows these lines as pmup run prints them.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const shown = r.stdout.split('\n').filter((l) => /^hpmn-3 on|^ {2}el1 (pmcr|evcntr2|evcntr3) /.test(l));
    assert.equal(shown.length, 4);
    for (const l of shown) assert.ok(readme.includes(l), `README shows: ${l}`);
    const all = runPmup(['run', 'scenarios/hpmn.json']);
    assert.equal(all.status, 0, 'every expected value of scenarios/hpmn.json holds');
  });

  test('an EL0 program: PMUSERENR_EL0 = 0 traps an EL0 read of PMCCNTR_EL0 to EL1, EN = 1 lets it read', () => {
    // D24.5.26 PMUSERENR_EL0.EN/CR; PMCCNTR_EL0 is op0 3, op1 3, CRn 9, CRm 13, op2 0 (D24.5.2): ISS
    // Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], read [0] (D24.2.46).
    const iss = (3 << 20) | (3 << 14) | (9 << 10) | (13 << 1) | 1;
    const one = (v: string) =>
      parseScenarioFile(
        file(`{"name": "e", "el2": {"PMUSERENR_EL0": "${v}"}, "before": [{"msr": "PMCCNTR_EL0", "value": "0x5000"}],
          "guest": [], "el0": [{"mrs": "PMCCNTR_EL0", "as": "c"}]}`),
        'f.json',
      ).scenarios[0]!;
    const obs = (v: string) =>
      runScenarioOnModel(one(v), A57).observations.find((o) => o.label === 'c')!.options;
    assert.deepEqual(
      obs('0x0').map((o) => o.obs),
      [{ kind: 'trap', toEl: 1, ec: 0x18, iss }],
    );
    assert.deepEqual(
      obs('0x1').map((o) => o.obs),
      [{ kind: 'value', value: 0x5000n }],
    );
  });

  test('PMUIRQ: a second-range overflow is signalled under MDCR_EL2.HPME, not PMCR_EL0.E (D13.3.1)', () => {
    // HPMN = 2: counter 3 is in the second range; its PMOVSSET and PMINTENSET bits (3) are set.
    const irq = (pmcr: string, mdcr: string) => {
      const sc = parseScenarioFile(
        file(`{"name": "i", "el2": {"MDCR_EL2": "${mdcr}", "PMCR_EL0": "${pmcr}", "PMINTENSET_EL1": "0x8",
          "PMOVSSET_EL0": "0x8"}, "guest": [{"pmuirq": true, "as": "irq"}]}`),
        'f.json',
      ).scenarios[0]!;
      return runScenarioOnModel(sc, A57)
        .observations.find((o) => o.label === 'irq')!
        .options.map((o) => o.obs);
    };
    assert.deepEqual(irq('0x0', '0x82'), [{ kind: 'value', value: 1n }]);
    assert.deepEqual(irq('0x1', '0x2'), [{ kind: 'value', value: 0n }]);
  });

  test('pmup run --json: one line per scenario and CPU, each observation with its options', () => {
    const r = runHpmn3('--json');
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const j = JSON.parse(lines[0]!) as {
      scenario: string;
      cpu: string;
      observations: { label: string; options: { outcome: string; value?: string }[] }[];
    };
    assert.equal(j.scenario, 'hpmn-3');
    assert.equal(j.cpu, 'qemu-virt-cortex-a57');
    const pmcr = j.observations.find((o) => o.label === 'el1 pmcr')!;
    assert.deepEqual(
      pmcr.options.map((o) => [o.outcome, o.value]),
      [['value', '0x41011800']],
    );
  });
});
