import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/core/commands/index.js';

describe('tokenize', () => {
  it('drops the slash command and splits on spaces', () => {
    expect(tokenize('/service who-owns payments-api')).toEqual(['who-owns', 'payments-api']);
    expect(tokenize('  who-owns   payments-api  ')).toEqual(['who-owns', 'payments-api']);
  });

  it('groups quoted words, straight and curly', () => {
    expect(tokenize('who-owns "Payments API"')).toEqual(['who-owns', 'Payments API']);
    expect(tokenize("who-owns 'Payments API'")).toEqual(['who-owns', 'Payments API']);
    expect(tokenize('who-owns “Payments API”')).toEqual(['who-owns', 'Payments API']);
    expect(tokenize('search ""')).toEqual(['search', '']);
  });

  it('takes an unclosed quote to the end of the line', () => {
    expect(tokenize('who-owns "Payments API')).toEqual(['who-owns', 'Payments API']);
  });

  it('returns nothing for an empty line', () => {
    expect(tokenize('   ')).toEqual([]);
    expect(tokenize('/service')).toEqual([]);
  });
});
