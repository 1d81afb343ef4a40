import { Function as PFunction, Label, Line, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format';

/**
 * A profile built by hand: `stacks` are root-first function names with a cpu value; a name
 * written `inner+outer` is one location with `inner` inlined into `outer` (pprof lists the
 * inlined function first: github.com/google/pprof/blob/main/proto/profile.proto).
 */
export function profile(stacks: [string[], number, string?][]): Profile {
  const st = new StringTable();
  const fns = new Map<string, number>();
  const fnId = (name: string) => {
    let id = fns.get(name);
    if (id === undefined) {
      id = fns.size + 1;
      fns.set(name, id);
    }
    return id;
  };
  const locs: Location[] = [];
  const samples: Sample[] = [];
  for (const [stack, value, span] of stacks) {
    const ids = stack
      .map((frame) => {
        const names = frame.split('+');
        const loc = new Location({ id: locs.length + 1, line: names.map((n) => new Line({ functionId: fnId(n), line: 1 })) });
        locs.push(loc);
        return loc.id;
      })
      .reverse(); // pprof: leaf first
    samples.push(
      new Sample({ locationId: ids, value: [value], label: span ? [new Label({ key: st.dedup('span_id'), str: st.dedup(span) })] : [] }),
    );
  }
  const functions = [...fns].map(
    ([name, id]) => new PFunction({ id, name: st.dedup(name), filename: st.dedup(`/app/${name}.ts`), startLine: 3 }),
  );
  return new Profile({
    sampleType: [new ValueType({ type: st.dedup('cpu'), unit: st.dedup('nanoseconds') })],
    sample: samples,
    location: locs,
    function: functions,
    stringTable: st,
  });
}
