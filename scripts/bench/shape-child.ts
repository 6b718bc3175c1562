// One hostile shape in a process of its own (so that its peak memory is its own): parses and
// checks the file as `talos-oidc lint` and the editor do, then the node suggestions read it, and
// prints one JSON line. Started by processes.ts: `tsx scripts/bench/shape-child.ts <shape name>`.
import { checkFile } from '../../src/core/checks/index';
import { nodeAddressesFromConfig } from '../../src/core/talosctl/nodes';
import { WorkspaceIndex } from '../../src/core/workspace/workspaceIndex';
import { parseYamlFile } from '../../src/core/workspace/parse';
import { HOSTILE_SHAPES } from '../../test/support/hostileShapes';

const shape = HOSTILE_SHAPES.find((candidate) => candidate.name === process.argv[2]);
if (!shape) throw new Error(`no shape ${process.argv[2]}`);
const text = shape.text();

function measureOnce(work: () => string) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcome = work();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, outcome };
}

const lint = measureOnce(() => {
  const parsed = parseYamlFile('hostile.yaml', text);
  const findings = checkFile(parsed, new WorkspaceIndex());
  if (parsed.notChecked) return `not checked (${parsed.notChecked})`;
  return parsed.skipped
    ? 'skipped (binary)'
    : `${parsed.yamlProblems.length} syntax problems, ${findings.length} findings`;
});
const nodes = measureOnce(() => `${nodeAddressesFromConfig(text).length} node suggestions`);
console.log(JSON.stringify({ bytes: text.length, lint, nodes, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
