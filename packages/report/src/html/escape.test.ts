import { describe, expect, it } from 'vitest';
import { escapeHtml, html, jsonForScript, rawHtml } from './escape.ts';

describe('escapeHtml and html``', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  });

  it('escapes every interpolation, including arrays, but not nested html`` or rawHtml', () => {
    const name = '<img src=x onerror=alert(1)>';
    const out = html`<p title="${name}">${name}${[name, html`<b>${name}</b>`]}${rawHtml('<i>ok</i>')}${null}${undefined}${false}${0}</p>`
      .value;
    expect(out).not.toContain('<img');
    expect(out).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt;">&lt;img src=x onerror=alert(1)&gt;&lt;img src=x onerror=alert(1)&gt;<b>&lt;img src=x onerror=alert(1)&gt;</b><i>ok</i>0</p>',
    );
  });
});

describe('jsonForScript', () => {
  const hostile = { a: '</script><script>alert(1)</script>', b: '<!-- x -->', c: 'line\u2028sep\u2029para', d: '&amp; > <' };

  it('round-trips through JSON.parse', () => {
    expect(JSON.parse(jsonForScript(hostile))).toEqual(hostile);
  });

  it('leaves no character that can end or change a script block, nor raw U+2028/U+2029', () => {
    const s = jsonForScript(hostile);
    expect(s).not.toMatch(/[<>&\u2028\u2029]/);
    expect(s.toLowerCase()).not.toContain('</script');
  });
});
