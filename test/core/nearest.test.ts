import { describe, expect, it } from 'vitest';
import { editDistance, nearest } from '../../src/core/nearest.js';

describe('did you mean', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('paymnets', 'payments')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the nearest names first and nothing for nonsense', () => {
    const names = ['payments-api', 'payments-db', 'ledger-service', 'checkout-web'];
    expect(nearest('paymnets-api', names)).toEqual(['payments-api', 'payments-db']);
    expect(nearest('zzzzzzzz', names)).toEqual([]);
  });

  it('treats a prefix as near', () => {
    expect(nearest('ledger', ['ledger-service', 'checkout-web'])).toEqual(['ledger-service']);
  });
});
