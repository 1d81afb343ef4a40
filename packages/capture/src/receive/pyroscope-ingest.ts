/**
 * Pyroscope's push API, `POST /ingest`, as Pyroscope SDKs speak it
 * (grafana.com/docs/pyroscope/latest/reference-server-api, "/ingest"): query `name`
 * (`app{tag=value,…}`), `from`/`until` (unix seconds), `format` (pprof, or folded lines
 * `a;b;c 12`), `sampleRate`, `spyName`, `units`; body either the raw (gzipped) pprof, as
 * @pyroscope/nodejs 0.6 sends it, or multipart/form-data with a `profile` part (Go, Java, Python SDKs).
 */
import { Profile, StringTable, ValueType, Function as PFunction, Location, Line, Sample } from 'pprof-format';
import { BadRequest, parseMultipart } from './http-body.ts';
import { decodePprof } from '../profile/io.ts';
import type { PushMeta } from './collector.ts';
import { CAPTURE_DEFAULTS } from './types.ts';

/** A decoded push: its profile and what tells which phase it belongs to. */
export interface IngestPush {
  app: string;
  tags: Record<string, string>;
  meta: PushMeta;
  profile: Profile;
}

/** Splits `app{k=v,k2=v2}` into the app name and its tags. */
export function parseAppName(name: string): { app: string; tags: Record<string, string> } {
  const m = /^([^{]*)(?:\{(.*)\})?$/.exec(name.trim());
  const tags: Record<string, string> = {};
  for (const kv of (m?.[2] ?? '').split(',')) {
    const i = kv.indexOf('=');
    if (i > 0) tags[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
  }
  return { app: m?.[1] ?? name, tags };
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

function epochMs(v: string | null): number | null {
  if (v === null || !/^\d+$/.test(v)) return null;
  const n = Number(v);
  // Pyroscope accepts seconds; some clients send ms or ns.
  return n > 1e17 ? n / 1e6 : n > 1e12 ? n : n * 1000;
}

/** Builds a pprof from folded stacks (`root;child;leaf value` per line), the format older SDKs push. */
export function profileFromFolded(text: string, units: string, sampleRate: number): Profile {
  const strings = new StringTable();
  const cpu = units === '' || units === 'samples';
  const p = new Profile({
    stringTable: strings,
    sampleType: [new ValueType({ type: strings.dedup(cpu ? 'cpu' : units), unit: strings.dedup(cpu ? 'nanoseconds' : units) })],
  });
  const fnIds = new Map<string, number>();
  const scale = cpu && sampleRate > 0 ? 1e9 / sampleRate : 1;
  for (const line of text.split('\n')) {
    const m = /^(.*\S)\s+(\d+)\s*$/.exec(line);
    if (!m) {
      if (line.trim()) throw new BadRequest(400, 'folded line without a trailing count');
      continue;
    }
    const frames = m[1]!.split(';').reverse();
    const locs = frames.map((name) => {
      let id = fnIds.get(name);
      if (id === undefined) {
        id = fnIds.size + 1;
        fnIds.set(name, id);
        p.function.push(new PFunction({ id, name: strings.dedup(name) }));
        p.location.push(new Location({ id, line: [new Line({ functionId: id })] }));
      }
      return id;
    });
    p.sample.push(new Sample({ locationId: locs, value: [Number(m[2]) * scale] }));
  }
  return p;
}

/** Decodes one /ingest request. Throws {@link BadRequest} for anything malformed. */
export function decodeIngest(url: URL, contentType: string, body: Buffer): IngestPush {
  const name = url.searchParams.get('name');
  if (!name) throw new BadRequest(400, 'missing "name" query parameter');
  const { app, tags } = parseAppName(name);
  const format = (url.searchParams.get('format') ?? (contentType.startsWith('multipart/') ? 'pprof' : 'folded')).toLowerCase();
  let payload: Buffer = body;
  if (contentType.toLowerCase().startsWith('multipart/form-data')) {
    const parts = parseMultipart(body, contentType);
    const profile = parts.get('profile');
    if (!profile) throw new BadRequest(400, 'multipart body without a "profile" part');
    payload = profile;
  }
  let profile: Profile;
  if (format === 'pprof') {
    try {
      profile = decodePprof(payload, CAPTURE_DEFAULTS.maxInflatedBytes);
    } catch (e) {
      throw new BadRequest(400, `profile is not a valid pprof: ${(e as Error).message}`);
    }
  } else if (format === 'folded' || format === 'lines') {
    const rate = Number(url.searchParams.get('sampleRate') ?? 100);
    profile = profileFromFolded(payload.toString('utf8'), url.searchParams.get('units') ?? 'samples', rate);
  } else {
    throw new BadRequest(415, `format "${format}" is not supported; send pprof or folded`);
  }
  return {
    app,
    tags,
    profile,
    meta: {
      phase: tags['phase'] ? safeDecode(tags['phase']) : null,
      fromMs: epochMs(url.searchParams.get('from')),
      untilMs: epochMs(url.searchParams.get('until')),
    },
  };
}
