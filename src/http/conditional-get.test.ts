import { describe, expect, it } from 'vitest';
import { conditionalHeaders, readValidators } from './conditional-get.js';

const now = Date.parse('2026-03-01T12:00:00Z');

describe('conditionalHeaders', () => {
  it('sends what it has and nothing else', () => {
    expect(conditionalHeaders({ etag: 'W/"abc"', lastModified: 'Sun, 01 Mar 2026 10:00:00 GMT' })).toEqual({
      'if-none-match': 'W/"abc"',
      'if-modified-since': 'Sun, 01 Mar 2026 10:00:00 GMT',
    });
    expect(conditionalHeaders({ etag: '' })).toEqual({});
    expect(conditionalHeaders(undefined)).toEqual({});
  });

  it('leaves out a Last-Modified later than now or unreadable: a server would answer 304 until then', () => {
    const at = Date.parse('2026-03-01T12:00:00Z');
    expect(conditionalHeaders({ etag: '"e"', lastModified: 'Fri, 01 Jan 2100 00:00:00 GMT' }, at)).toEqual({ 'if-none-match': '"e"' });
    expect(conditionalHeaders({ lastModified: 'yesterday' }, at)).toEqual({});
    expect(conditionalHeaders({ lastModified: 'Sun, 01 Mar 2026 11:59:00 GMT' }, at)).toEqual({ 'if-modified-since': 'Sun, 01 Mar 2026 11:59:00 GMT' });
  });
});

describe('readValidators', () => {
  it('keeps ETag and a past Last-Modified verbatim', () => {
    expect(readValidators({ etag: '"v1"', lastModified: 'Sun, 01 Mar 2026 10:00:00 GMT' }, now)).toEqual({
      etag: '"v1"',
      lastModified: 'Sun, 01 Mar 2026 10:00:00 GMT',
    });
  });

  it('drops a Last-Modified in the future', () => {
    expect(readValidators({ lastModified: 'Fri, 01 Jan 2027 00:00:00 GMT' }, now)).toEqual({});
  });

  it('judges the future by the server Date when there is one', () => {
    // server clock 5 minutes ahead of ours: its "now" is not the future
    const lm = 'Sun, 01 Mar 2026 12:04:00 GMT';
    expect(readValidators({ lastModified: lm, date: 'Sun, 01 Mar 2026 12:05:00 GMT' }, now)).toEqual({ lastModified: lm });
    expect(readValidators({ lastModified: lm, date: 'Sun, 01 Mar 2026 12:00:00 GMT' }, now)).toEqual({});
  });

  it('drops an unreadable Last-Modified and empty values', () => {
    expect(readValidators({ etag: ' ', lastModified: 'yesterday' }, now)).toEqual({});
  });
});
