/** Reading and writing pprof files (gzipped protobuf, github.com/google/pprof/blob/main/proto/profile.proto). */
import { gunzipSync, gzipSync } from 'node:zlib';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Profile } from 'pprof-format';

/** Largest decompressed profile decodePprof accepts by default: 128 MiB. */
export const MAX_INFLATED_PPROF_BYTES = 128 * 1024 * 1024;

/** True when the bytes start with the gzip magic number (RFC 1952 §2.3.1). */
export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Decodes a pprof, gzipped or not; inflation is capped so a zip bomb fails instead of eating memory. */
export function decodePprof(bytes: Uint8Array, maxInflated: number = MAX_INFLATED_PPROF_BYTES): Profile {
  const raw = isGzip(bytes) ? gunzipSync(bytes, { maxOutputLength: maxInflated }) : bytes;
  const p = Profile.decode(raw);
  if (p.sampleType.length === 0) throw new Error('pprof has no sample types');
  for (const s of p.sample) if (s.value.length !== p.sampleType.length) throw new Error('pprof sample has the wrong number of values');
  return p;
}

/** Reads a gzipped (or plain) pprof file. */
export async function readPprof(path: string): Promise<Profile> {
  return decodePprof(await readFile(path));
}

/** Writes a profile as a gzipped pprof file, creating directories; renamed into place, so a reader or a crash never meets half a file. */
export async function writePprof(path: string, p: Profile): Promise<void> {
  await writePprofBytes(path, p.encode());
}

/** The same for a profile already encoded (`Profile.encode()`). */
export async function writePprofBytes(path: string, encoded: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, gzipSync(encoded));
  await rename(`${path}.tmp`, path);
}
