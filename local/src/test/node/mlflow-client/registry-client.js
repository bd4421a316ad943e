'use strict';
// Drives Capstan's MLflow Model Registry REST subset through the npm `mlflow` package's HTTP layer
// (its MLflowBase: URL scheme /api/2.0/mlflow/..., GET parameters as a query string, POST and
// PATCH as JSON, non-200 answers raised as errors carrying the status and the JSON body). The
// package itself wraps the tracking calls only, so the registry calls are declared here the way
// the package declares its own (a path and a method per call), with MLflow's documented request
// fields. Environment: MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN (as MLflow's clients read
// them), MODEL_SOURCE (a directory holding a model). Prints one line per check; exits 1 on the
// first failure.
const assert = require('node:assert/strict');
const { MLflowBase } = require('mlflow/lib/mlflow');

class Calls extends MLflowBase {
  constructor(args, path) {
    super(args);
    this.path = path;
  }
}

const client = {
  endpoint: process.env.MLFLOW_TRACKING_URI,
  headers: { Authorization: `Bearer ${process.env.MLFLOW_TRACKING_TOKEN}` },
};
const models = new Calls(client, '/registered-models');
const versions = new Calls(client, '/model-versions');
const source = process.env.MODEL_SOURCE;

// The package logs every JSON body it posts; keep stdout to the checks.
const log = console.log.bind(console);
console.log = () => {};

/** The MLflow error a call answered with: {status, error_code, message}. */
async function failure(call) {
  try {
    await call;
  } catch (e) {
    const text = String(e.message).replace(/^Error: /, '');
    const { status, data } = JSON.parse(text);
    return { status, error_code: data && data.error_code, message: data && data.message };
  }
  assert.fail('the call succeeded but should have failed');
}

async function ready(name, version) {
  for (let i = 0; i < 600; i++) {
    const { model_version } = await versions.req('get', '/get', { name, version });
    if (model_version.status !== 'PENDING_REGISTRATION') {
      return model_version;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`version ${version} of ${name} stayed PENDING_REGISTRATION`);
}

const checks = [
  ['create a registered model', async () => {
    const before = Date.now();
    const { registered_model: m } = await models.req('post', '/create',
      { name: 'fraud', description: 'scores card payments', tags: [{ key: 'team', value: 'risk' }] });
    assert.equal(m.name, 'fraud');
    assert.equal(m.description, 'scores card payments');
    assert.deepEqual(m.tags, [{ key: 'team', value: 'risk' }]);
    assert.equal(typeof m.creation_timestamp, 'number');
    assert.ok(m.creation_timestamp >= before - 60_000 && m.creation_timestamp <= Date.now() + 60_000,
      `creation_timestamp ${m.creation_timestamp} is in milliseconds`);
  }],
  ['a taken name is RESOURCE_ALREADY_EXISTS', async () => {
    const e = await failure(models.req('post', '/create', { name: 'fraud' }));
    assert.equal(e.status, 400);
    assert.equal(e.error_code, 'RESOURCE_ALREADY_EXISTS');
  }],
  ['register two versions from a directory', async () => {
    const { model_version: v1 } = await versions.req('post', '/create',
      { name: 'fraud', source, run_id: 'job-1', tags: [{ key: 'data', value: 'may' }] });
    assert.equal(v1.version, '1');
    assert.equal(v1.name, 'fraud');
    assert.equal((await ready('fraud', '1')).status, 'READY');
    const { model_version: v2 } = await versions.req('post', '/create', { name: 'fraud', source, run_id: 'job-2' });
    assert.equal(v2.version, '2');
    const got = await ready('fraud', '2');
    assert.equal(got.status, 'READY');
    assert.equal(got.run_id, 'job-2');
    assert.equal(got.current_stage, 'None');
  }],
  ['set an alias and read the version by it', async () => {
    assert.deepEqual(await models.req('post', '/alias', { name: 'fraud', alias: 'production', version: '1' }), {});
    const { model_version: v } = await models.req('get', '/alias', { name: 'fraud', alias: 'production' });
    assert.equal(v.version, '1');
    assert.deepEqual(v.aliases, ['production']);
    const { registered_model: m } = await models.req('get', '/get', { name: 'fraud' });
    assert.deepEqual(m.aliases, [{ alias: 'production', version: '1' }]);
    assert.equal(m.latest_versions[0].version, '2');
  }],
  ['search registered models with the documented filters', async () => {
    await models.req('post', '/create', { name: 'churn' });
    const names = async (filter) => ((await models.req('get', '/search', { filter })).registered_models || []).map((m) => m.name);
    assert.deepEqual(await names("name = 'fraud'"), ['fraud']);
    assert.deepEqual(await names("name LIKE 'fr%'"), ['fraud']);
    assert.deepEqual(await names("name LIKE 'FR%'"), []);
    assert.deepEqual(await names("name ILIKE 'FR%'"), ['fraud']);
    assert.deepEqual(await names("tags.team = 'risk'"), ['fraud']);
    assert.deepEqual(await names(undefined), ['churn', 'fraud']);
    const page = await models.req('get', '/search', { max_results: 1, order_by: ['name DESC'] });
    assert.deepEqual(page.registered_models.map((m) => m.name), ['fraud']);
    const next = await models.req('get', '/search', { max_results: 1, order_by: ['name DESC'], page_token: page.next_page_token });
    assert.deepEqual(next.registered_models.map((m) => m.name), ['churn']);
    assert.equal(next.next_page_token, undefined);
  }],
  ['search model versions by name, run_id and tag, a page at a time', async () => {
    const first = await versions.req('get', '/search', { filter: "name='fraud'", max_results: 1 });
    assert.deepEqual(first.model_versions.map((v) => v.version), ['2']);
    const second = await versions.req('get', '/search', { filter: "name='fraud'", max_results: 1, page_token: first.next_page_token });
    assert.deepEqual(second.model_versions.map((v) => v.version), ['1']);
    const byRun = await versions.req('get', '/search', { filter: "run_id = 'job-1'" });
    assert.deepEqual(byRun.model_versions.map((v) => v.version), ['1']);
    const byTag = await versions.req('get', '/search', { filter: "name = 'fraud' AND tags.data = 'may'" });
    assert.deepEqual(byTag.model_versions.map((v) => v.version), ['1']);
  }],
  ['update descriptions', async () => {
    const { registered_model: m } = await models.req('patch', '/update', { name: 'fraud', description: 'v2 of the scorer' });
    assert.equal(m.description, 'v2 of the scorer');
    const { model_version: v } = await versions.req('patch', '/update', { name: 'fraud', version: '2', description: 'retrained' });
    assert.equal(v.description, 'retrained');
  }],
  ['get a download URI', async () => {
    const { artifact_uri } = await versions.req('get', '/get-download-uri', { name: 'fraud', version: '1' });
    assert.match(artifact_uri, /^(file|s3):/);
  }],
  ['set and delete tags; the latest version', async () => {
    assert.deepEqual(await versions.req('post', '/set-tag', { name: 'fraud', version: '2', key: 'approved', value: 'yes' }), {});
    const { model_version: v } = await versions.req('get', '/get', { name: 'fraud', version: '2' });
    assert.deepEqual(v.tags, [{ key: 'approved', value: 'yes' }]);
    await versions.req('delete', '/delete-tag', { name: 'fraud', version: '2', key: 'approved' });
    assert.equal((await versions.req('get', '/get', { name: 'fraud', version: '2' })).model_version.tags, undefined);
    await models.req('post', '/set-tag', { name: 'fraud', key: 'owner', value: 'ml-platform' });
    await models.req('delete', '/delete-tag', { name: 'fraud', key: 'team' });
    assert.deepEqual((await models.req('get', '/get', { name: 'fraud' })).registered_model.tags, [{ key: 'owner', value: 'ml-platform' }]);
    const { model_versions: latest } = await models.req('post', '/get-latest-versions', { name: 'fraud', stages: ['None'] });
    assert.deepEqual(latest.map((l) => l.version), ['2']);
  }],
  ['errors have MLflow\'s shape', async () => {
    const missing = await failure(models.req('get', '/get', { name: 'nope' }));
    assert.equal(missing.status, 404);
    assert.equal(missing.error_code, 'RESOURCE_DOES_NOT_EXIST');
    const noVersion = await failure(versions.req('get', '/get', { name: 'fraud', version: '99' }));
    assert.equal(noVersion.status, 404);
    assert.equal(noVersion.error_code, 'RESOURCE_DOES_NOT_EXIST');
    const badFilter = await failure(models.req('get', '/search', { filter: "name = 'a' OR name = 'b'" }));
    assert.equal(badFilter.status, 400);
    assert.equal(badFilter.error_code, 'INVALID_PARAMETER_VALUE');
    const tooMany = await failure(models.req('get', '/search', { max_results: 100000 }));
    assert.equal(tooMany.error_code, 'INVALID_PARAMETER_VALUE');
    const noName = await failure(versions.req('post', '/create', { source }));
    assert.equal(noName.error_code, 'INVALID_PARAMETER_VALUE');
    assert.match(noName.message, /'name'/);
  }],
  ['delete an alias, a version and a model', async () => {
    await models.req('delete', '/alias', { name: 'fraud', alias: 'production' });
    assert.equal((await failure(models.req('get', '/alias', { name: 'fraud', alias: 'production' }))).error_code,
      'RESOURCE_DOES_NOT_EXIST');
    await versions.req('delete', '/delete', { name: 'fraud', version: '1' });
    assert.equal((await failure(versions.req('get', '/get', { name: 'fraud', version: '1' }))).status, 404);
    await models.req('delete', '/delete', { name: 'churn' });
    assert.equal((await failure(models.req('get', '/get', { name: 'churn' }))).status, 404);
  }],
];

(async () => {
  for (const [name, check] of checks) {
    try {
      await check();
      log(`ok - ${name}`);
    } catch (e) {
      log(`not ok - ${name}: ${e.stack || e}`);
      process.exit(1);
    }
  }
  log(`all ${checks.length} checks passed`);
})();
