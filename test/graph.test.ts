/** `pbxlint graph`: entry points → contexts → targets, failing paths marked, Mermaid and DOT. */
import * as path from 'path';
import { cli, ROOT, GATE_PBX } from './helpers/gate-cli';
import { loadRoot } from '../src/engines';
import { graphOf } from '../src/graph';
import { genericGraph } from '../src/graph/generic';

const PBX = path.join(ROOT, 'fixtures/examples/asterisk-pbx');

describe('the Asterisk routing graph', () => {
  const graph = graphOf(loadRoot({ platform: 'asterisk', path: PBX }, {}));
  const node = (label: string) => graph.nodes.find((n) => n.label === label);
  const edge = (from: string, to: string) => graph.edges.find((e) => node(from)?.id === e.from && node(to)?.id === e.to);

  test('entry points enter their contexts; a missing context fails with 404', () => {
    expect(edge('endpoint 1001', '[from-internal]')).toMatchObject({ kind: 'enters' });
    expect(edge('endpoint trunk-a (trunk)', '[from-trunk]')).toBeDefined();
    expect(node('[from-internl]')).toMatchObject({ fails: 'context does not exist' });
    expect(edge('endpoint 1003', '[from-internl]')).toMatchObject({ fails: '404' });
  });

  test('includes, gotos and dials; [globals] are substituted; dynamic targets are marked', () => {
    expect(edge('[from-internal]', '[features]')).toMatchObject({ kind: 'include' });
    expect(edge('[from-internal]', '[voicemail]')).toMatchObject({ kind: 'goto', label: '_1XXX' });
    expect(edge('[features]', '[voicemail-menu]')).toMatchObject({ kind: 'goto', fails: 'hangup (603)' });
    expect(edge('[from-trunk]', 'PJSIP/1001')).toMatchObject({ kind: 'dial' });
    expect(node('PJSIP/+${EXTEN}@trunk-a')).toMatchObject({ kind: 'target', dynamic: true });
  });

  test('a Dial to an endpoint that does not exist is marked with its status; include of a missing context with 404', () => {
    const g = graphOf(loadRoot({ platform: 'asterisk', path: GATE_PBX }, {}));
    const target = g.nodes.find((n) => n.label === 'PJSIP/1099');
    expect(target?.fails).toMatch(/^404: no PJSIP endpoint "1099"/);
    expect(g.edges.find((e) => e.to === target?.id)?.fails).toBe('404');
  });

  test('contexts no entry reaches are left out unless --all', () => {
    const dir = path.join(ROOT, 'fixtures/gate/suppress-file');
    const model = loadRoot({ platform: 'asterisk', path: dir }, {});
    expect(graphOf(model).nodes.length).toBeGreaterThan(0); // no entry points: everything is drawn
    const withEntries = graphOf(loadRoot({ platform: 'asterisk', path: GATE_PBX }, {}));
    const all = graphOf(loadRoot({ platform: 'asterisk', path: GATE_PBX }, {}), true);
    expect(all.nodes.length).toBeGreaterThanOrEqual(withEntries.nodes.length);
  });

  test('an engine without its own graph gets entry points → contexts', () => {
    const model = loadRoot({ platform: 'asterisk', path: PBX }, {});
    const g = genericGraph(model);
    expect(g.edges).toHaveLength(model.entryPoints.length);
    expect(g.nodes.filter((n) => n.kind === 'entry')).toHaveLength(model.entryPoints.length);
  });
});

describe('pbxlint graph output', () => {
  test('mermaid: a flowchart, failing nodes and edges styled', async () => {
    const r = await cli(['graph', PBX]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(r.stdout).toMatch(/n\d+\["\[from-internl\]<br\/>✖ context does not exist"\]:::fails/);
    expect(r.stdout).toMatch(/n\d+ -\.->\|"✖ 404"\| n\d+/);
    expect(r.stdout).toMatch(/^ {2}linkStyle [\d,]+ stroke:#c00/m);
    expect(r.stdout).toContain('classDef fails');
  });

  test('dot: a digraph with failing nodes red, labels escaped', async () => {
    const r = await cli(['graph', PBX, '--format', 'dot']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('digraph pbxlint {\n')).toBe(true);
    expect(r.stdout.trimEnd().endsWith('}')).toBe(true);
    expect(r.stdout).toMatch(/\[label="\[from-internl\]\\n✖ context does not exist", color=red, fontcolor=red\]/);
    expect(r.stdout).toMatch(/-> n\d+ \[label="✖ 404", color=red, fontcolor=red, style=dashed\]/);
    // every quote inside a label is escaped: a crude balance check
    for (const l of r.stdout.split('\n').filter((x) => x.includes('label='))) expect((l.replace(/\\"/g, '').match(/"/g) ?? []).length % 2).toBe(0);
  });

  test('--from draws only what one entry point reaches', async () => {
    const r = await cli(['graph', PBX, '--from', '1003']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^\s+n\d+[[(]/.test(l))).toEqual(['  n0(["endpoint 1003"])', '  n1["[from-internl]<br/>✖ context does not exist"]:::fails']);
    expect((await cli(['graph', PBX, '--from', 'nobody'])).code).toBe(2);
  });

  test('several roots: one diagram, a subgraph (DOT: cluster) per root, node ids kept apart', async () => {
    const dir = path.join(ROOT, 'fixtures/gate');
    const mermaid = (await cli(['graph', dir])).stdout;
    expect(mermaid.match(/^flowchart LR$/gm)).toHaveLength(1);
    expect(mermaid).toContain('  subgraph r0 ["asterisk: fixtures/gate/pbx"]');
    expect(mermaid).toContain('  subgraph r1 ["asterisk: fixtures/gate/suppress-file"]');
    expect(mermaid).toMatch(/^ {4}r1_n0\[/m);
    const dot = (await cli(['graph', dir, '--format', 'dot'])).stdout;
    expect(dot.match(/^digraph /gm)).toHaveLength(1);
    expect(dot).toContain('  subgraph cluster_1 {\n    label="asterisk: fixtures/gate/suppress-file";');
  });

  test('no configuration: exit 2', async () => {
    const r = await cli(['graph', path.join(ROOT, 'docs')]);
    expect(r.code).toBe(2);
  });
});
