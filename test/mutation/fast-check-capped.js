// Under mutation testing every mutant reruns the properties that cover it, so each runs at most
// MAX_RUNS cases from a fixed seed (npm test runs the full counts with fresh seeds). The fixed
// seed also keeps Stryker's incremental results reproducible from one run to the next.
// By path: the bare name is mapped to this file in test/mutation/jest.config.js.
const real = require('../../node_modules/fast-check/lib/cjs/fast-check.js');

const MAX_RUNS = 200;
const SEED = 21;

function assert(property, params = {}) {
  const numRuns = Math.min(params.numRuns ?? MAX_RUNS, MAX_RUNS);
  return real.assert(property, { ...params, numRuns, seed: params.seed ?? SEED });
}

const capped = { assert };
for (const name of Object.getOwnPropertyNames(real)) {
  if (name !== 'assert' && name !== 'default') capped[name] = real[name];
}
module.exports = { ...capped, default: capped, __esModule: true };
