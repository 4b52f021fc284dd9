import { describe, expect, it } from 'vitest';
import { parseEntityRef, toEntityRef } from '../../src/core/catalog/index.js';

describe('entity references', () => {
  it('fills the kind from the field and the namespace from the referring entity', () => {
    expect(toEntityRef('team-a', { kind: 'group', namespace: 'default' })).toBe('group:default/team-a');
    expect(toEntityRef('team-a', { kind: 'group', namespace: 'alternative' })).toBe('group:alternative/team-a');
    expect(toEntityRef('default/team-a', { kind: 'group', namespace: 'alternative' })).toBe('group:default/team-a');
    expect(toEntityRef('user:xantier', { kind: 'group' })).toBe('user:default/xantier');
  });

  it('compares case-insensitively by lower-casing every part', () => {
    expect(toEntityRef('Group:Default/Team-Phoenix')).toBe('group:default/team-phoenix');
  });

  it('tolerates the compound form', () => {
    expect(toEntityRef({ kind: 'Group', name: 'x' })).toBe('group:default/x');
  });

  it('refuses refs without a kind where the field has no default, and malformed ones', () => {
    expect(toEntityRef('payments-db')).toBeNull();
    expect(parseEntityRef('')).toBeNull();
    expect(toEntityRef('a/b/c', { kind: 'group' })).toBeNull();
    expect(toEntityRef(42, { kind: 'group' })).toBeNull();
  });
});
