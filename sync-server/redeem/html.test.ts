import { describe, expect, it } from 'vitest';
import { escapeHtml, formatDateTime, formatValidity, html, layout } from './html.ts';

describe('html', () => {
  it('escapes every interpolated string, including attribute quotes', () => {
    const hostile = `<script>alert("x")</script>' & more`;
    expect(html`<p title="${hostile}">${hostile}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; &amp; more">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; &amp; more</p>',
    );
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });

  it('composes nested fragments without escaping them twice', () => {
    const inner = html`<b>${'1 < 2'}</b>`;
    expect(html`<p>${inner}${[inner, inner]}${null}${7}</p>`.value).toBe(
      '<p><b>1 &lt; 2</b><b>1 &lt; 2</b><b>1 &lt; 2</b>7</p>',
    );
  });

  it('lays out a phone-friendly HTML5 page with an escaped title', () => {
    const page = layout('A & B', html`<h1>Hi</h1>`);
    expect(page).toMatch(/^<!doctype html>\s*<html lang="en">/);
    expect(page).toContain(
      '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    );
    expect(page).toContain('<title>A &amp; B · Entitle</title>');
    expect(page).toContain('<link rel="stylesheet" href="/redeem/assets/portal.css" />');
  });

  it('writes dates for people, in UTC and saying so', () => {
    expect(formatDateTime('2026-11-26T10:05:00.000Z')).toBe('26 November 2026 at 10:05 UTC');
    expect(formatDateTime('2027-01-01T00:00:59.999Z')).toBe('1 January 2027 at 00:00 UTC');
  });

  it("writes a date and time in the words of Intl's en-GB long date and short time, in UTC", () => {
    const intl = new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'UTC',
    });
    const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
    const from = Date.parse('2000-01-01T00:00:00Z');
    const to = Date.parse('2100-01-01T00:00:00Z');
    // Every month's ends, and a spread of instants across a century (a fixed step, no randomness).
    const instants = [];
    for (let year = 2024; year <= 2028; year++) {
      for (let month = 0; month < 12; month++) {
        instants.push(Date.UTC(year, month, 1), Date.UTC(year, month + 1, 1) - 1);
      }
    }
    for (let at = from; at < to; at += 7_919_999_987) instants.push(at);
    for (const at of instants) {
      const iso = new Date(at).toISOString();
      expect(formatDateTime(iso)).toBe(`${intl.format(new Date(at))} UTC`);
      const midnight = new Date(
        Date.UTC(
          new Date(at).getUTCFullYear(),
          new Date(at).getUTCMonth(),
          new Date(at).getUTCDate() + 1,
        ),
      );
      expect(formatValidity(midnight.toISOString(), false)).toBe(
        `Valid through ${day.format(new Date(at))} (UTC)`,
      );
    }
  });

  it('says a fixed end date as the last valid day, and anything else as an instant', () => {
    expect(formatValidity('2026-12-20T00:00:00.000Z', false)).toBe(
      'Valid through 19 December 2026 (UTC)',
    );
    expect(formatValidity('2027-05-25T10:00:00.000Z', false)).toBe(
      'Valid until 25 May 2027 at 10:00 UTC',
    );
    expect(formatValidity('2027-05-25T10:00:00.000Z', true)).toBe(
      'Expired 25 May 2027 at 10:00 UTC',
    );
  });
});
