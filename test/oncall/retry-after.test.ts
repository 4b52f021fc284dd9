import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../src/core/oncall/index.js';

const NOW = Date.parse('2026-11-30T09:00:00Z');
const headers = (h: Record<string, string>) => new Headers(h);

describe('how long a 429 asks us to wait', () => {
  it('reads Retry-After in seconds', () => {
    expect(retryAfterMs(headers({ 'Retry-After': '7' }), NOW, 'ratelimit-reset')).toBe(7000);
  });

  it('reads Retry-After as an HTTP date, never below zero', () => {
    expect(retryAfterMs(headers({ 'Retry-After': 'Mon, 30 Nov 2026 09:00:30 GMT' }), NOW, 'ratelimit-reset')).toBe(30_000);
    expect(retryAfterMs(headers({ 'Retry-After': 'Mon, 30 Nov 2026 08:00:00 GMT' }), NOW, 'ratelimit-reset')).toBe(0);
  });

  it("falls back to the provider's own seconds header, and to nothing", () => {
    expect(retryAfterMs(headers({ 'X-RateLimit-Period-In-Sec': '60' }), NOW, 'x-ratelimit-period-in-sec')).toBe(60_000);
    expect(retryAfterMs(headers({ 'Retry-After': 'soon', 'ratelimit-reset': '3' }), NOW, 'ratelimit-reset')).toBe(3000);
    expect(retryAfterMs(headers({ 'ratelimit-reset': '-1' }), NOW, 'ratelimit-reset')).toBeUndefined();
    expect(retryAfterMs(headers({}), NOW, 'ratelimit-reset')).toBeUndefined();
  });
});
