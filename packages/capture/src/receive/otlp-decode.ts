/**
 * Decoding of OTLP ExportTraceServiceRequest, protobuf and JSON, into span rows.
 * Field numbers from opentelemetry-proto (collector/trace/v1/trace_service.proto,
 * trace/v1/trace.proto, common/v1/common.proto, resource/v1/resource.proto);
 * JSON mapping from the OTLP spec ("OTLP/HTTP JSON": hex ids, lowerCamelCase, int64 as strings).
 */
import { fields, hex, str, int64, double, WireError, type WireField } from './protowire.ts';
import type { SpanRow } from './types.ts';

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const STATUS = ['unset', 'ok', 'error'];

type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

function anyValue(buf: Uint8Array): Value {
  let v: Value = null;
  for (const f of fields(buf)) {
    if (f.field === 1) v = str(f);
    else if (f.field === 2) v = f.int !== 0n;
    else if (f.field === 3) v = Number(int64(f));
    else if (f.field === 4) v = double(f);
    else if (f.field === 5) v = [...fields(f.bytes)].filter((x) => x.field === 1).map((x) => anyValue(x.bytes));
    else if (f.field === 6) v = keyValues([...fields(f.bytes)].filter((x) => x.field === 1));
    else if (f.field === 7) v = Buffer.from(f.bytes).toString('base64');
  }
  return v;
}

function keyValues(kvs: WireField[]): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const kv of kvs) {
    let key = '';
    let value: Value = null;
    for (const f of fields(kv.bytes)) {
      if (f.field === 1) key = str(f);
      else if (f.field === 2) value = anyValue(f.bytes);
    }
    out[key] = value;
  }
  return out;
}

function spanFromProto(buf: Uint8Array, service: string): SpanRow {
  let traceId = '',
    spanId = '',
    parent = '',
    name = '',
    kind = 0,
    start = 0n,
    end = 0n,
    status = 0;
  const attrs: WireField[] = [];
  for (const f of fields(buf)) {
    switch (f.field) {
      case 1:
        traceId = hex(f.bytes);
        break;
      case 2:
        spanId = hex(f.bytes);
        break;
      case 4:
        parent = hex(f.bytes);
        break;
      case 5:
        name = str(f);
        break;
      case 6:
        kind = Number(f.int);
        break;
      case 7:
        start = f.int;
        break;
      case 8:
        end = f.int;
        break;
      case 9:
        attrs.push(f);
        break;
      case 15:
        for (const s of fields(f.bytes)) if (s.field === 3) status = Number(s.int);
        break;
    }
  }
  return row(traceId, spanId, parent, name, kind, start, end, status, keyValues(attrs), service);
}

function row(
  traceId: string,
  spanId: string,
  parent: string,
  name: string,
  kind: number,
  start: bigint,
  end: bigint,
  status: number,
  attributes: Record<string, Value>,
  service: string,
): SpanRow {
  if (!/^[0-9a-f]{32}$/.test(traceId) || !/^[0-9a-f]{16}$/.test(spanId)) throw new WireError(`span "${name}" has invalid trace or span id`);
  return {
    trace_id: traceId,
    span_id: spanId,
    parent_span_id: parent && !/^0+$/.test(parent) ? parent : null,
    name,
    kind: KINDS[kind] ?? 'unspecified',
    service,
    start_ms: Number(start) / 1e6,
    duration_ms: Number(end - start) / 1e6,
    status_code: STATUS[status] ?? 'unset',
    attributes: JSON.stringify(attributes),
    source: 'otlp',
  };
}

/** Decodes a protobuf ExportTraceServiceRequest. Throws WireError on malformed input. */
export function decodeTracesProto(buf: Uint8Array, defaultService: string): SpanRow[] {
  const spans: SpanRow[] = [];
  for (const rs of fields(buf)) {
    if (rs.field !== 1 || rs.wireType !== 2) continue;
    let service = defaultService;
    const scopes: Uint8Array[] = [];
    for (const f of fields(rs.bytes)) {
      if (f.field === 1) {
        const res = keyValues([...fields(f.bytes)].filter((x) => x.field === 1));
        if (typeof res['service.name'] === 'string') service = res['service.name'];
      } else if (f.field === 2) scopes.push(f.bytes);
    }
    for (const scope of scopes) {
      for (const f of fields(scope)) if (f.field === 2) spans.push(spanFromProto(f.bytes, service));
    }
  }
  return spans;
}

interface JsonKv {
  key?: unknown;
  value?: unknown;
}

function jsonValue(v: unknown): Value {
  if (v === null || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  if ('stringValue' in o) return String(o['stringValue']);
  if ('boolValue' in o) return Boolean(o['boolValue']);
  if ('intValue' in o) return Number(o['intValue']);
  if ('doubleValue' in o) return Number(o['doubleValue']);
  if ('bytesValue' in o) return String(o['bytesValue']);
  if ('arrayValue' in o) return arr((o['arrayValue'] as { values?: unknown })?.values).map(jsonValue);
  if ('kvlistValue' in o) return jsonAttributes((o['kvlistValue'] as { values?: unknown })?.values);
  return null;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function jsonAttributes(list: unknown): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const kv of arr(list) as JsonKv[]) if (kv && typeof kv.key === 'string') out[kv.key] = jsonValue(kv.value);
  return out;
}

/** JSON enums may come as numbers or as their proto names (SPAN_KIND_SERVER). */
function enumNumber(v: unknown, prefix: string, names: string[]): number {
  if (typeof v === 'string' && v.startsWith(prefix)) return Math.max(0, names.indexOf(v.slice(prefix.length).toLowerCase()));
  return Number(v ?? 0) || 0;
}

function nanos(v: unknown): bigint {
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v));
  throw new WireError('timestamp is not an integer of nanoseconds');
}

/** Decodes an OTLP/JSON ExportTraceServiceRequest. Throws on malformed input. */
export function decodeTracesJson(text: string, defaultService: string): SpanRow[] {
  const doc = JSON.parse(text) as { resourceSpans?: unknown };
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.resourceSpans)) throw new WireError('no resourceSpans array');
  const spans: SpanRow[] = [];
  for (const rs of doc.resourceSpans as Record<string, unknown>[]) {
    const res = jsonAttributes((rs?.['resource'] as { attributes?: unknown } | undefined)?.attributes);
    const service = typeof res['service.name'] === 'string' ? res['service.name'] : defaultService;
    for (const ss of arr(rs?.['scopeSpans']) as Record<string, unknown>[]) {
      for (const s of arr(ss?.['spans']) as Record<string, unknown>[]) {
        const status = (s['status'] as { code?: unknown } | undefined)?.code;
        spans.push(
          row(
            String(s['traceId'] ?? '').toLowerCase(),
            String(s['spanId'] ?? '').toLowerCase(),
            String(s['parentSpanId'] ?? '').toLowerCase(),
            String(s['name'] ?? ''),
            enumNumber(s['kind'], 'SPAN_KIND_', KINDS),
            nanos(s['startTimeUnixNano']),
            nanos(s['endTimeUnixNano']),
            enumNumber(status, 'STATUS_CODE_', STATUS),
            jsonAttributes(s['attributes']),
            service,
          ),
        );
      }
    }
  }
  return spans;
}
