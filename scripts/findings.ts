// SPDX-License-Identifier: MIT
// Regenerates the verifier's part of docs/findings.md (npm run findings).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { generatedFindings, spliceFindings } from '../src/cli/findings.js';

const file = new URL('../docs/findings.md', import.meta.url);
const doc = existsSync(file) ? readFileSync(file, 'utf8') : '';
writeFileSync(file, spliceFindings(doc, generatedFindings()));
console.log('docs/findings.md: the pmup check part regenerated');
