import { describe, expect, it } from 'vitest';
import { pathTemplate } from './path-template.ts';

describe('pathTemplate', () => {
  it('drops the query and writes numeric, UUID and long hex segments as :id', () => {
    expect(pathTemplate('GET', '/users/42?x=1')).toBe('GET /users/:id');
    expect(pathTemplate('PUT', '/orgs/7/items/3f2c1a9e-0b5d-4c1e-9a7f-2d3b4c5d6e7f')).toBe('PUT /orgs/:id/items/:id');
    expect(pathTemplate('GET', '/blobs/0123456789abcdef0123')).toBe('GET /blobs/:id');
    expect(pathTemplate('GET', '/v2/report')).toBe('GET /v2/report');
  });
});
