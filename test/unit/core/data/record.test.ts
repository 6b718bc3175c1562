import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { isRecord } from '../../../../src/core/data/record';

describe('isRecord', () => {
  it('accepts the mappings of parsed YAML and JSON', () => {
    assert.equal(isRecord(parse('users: []')), true);
    assert.equal(isRecord(JSON.parse('{}')), true);
  });

  it('rejects what a field might hold instead of a mapping', () => {
    for (const value of [null, undefined, [], parse('- a'), 'text', 1, true]) assert.equal(isRecord(value), false);
  });
});
