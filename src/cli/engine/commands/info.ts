import { systemInfo, type SystemInfo } from '../../../engine/system/info.js';
import { VERSION } from '../../../engine/system/version.js';
import { defineCommand } from '../command.js';
import { binarySize } from '../output/binary-size.js';
import { compileTemplate } from '../output/template.js';
import { engineOf } from './container-context.js';

function text(i: SystemInfo): string {
  const lines: [number, string, string | number][] = [
    [1, 'Containers', i.Containers], [2, 'Running', i.ContainersRunning], [2, 'Paused', i.ContainersPaused], [2, 'Stopped', i.ContainersStopped],
    [1, 'Images', i.Images], [1, 'Volumes', i.Volumes], [1, 'Server Version', i.ServerVersion], [1, 'Storage Driver', i.Driver],
    [1, 'Cgroup Driver', i.CgroupDriver], [1, 'Cgroup Version', i.CgroupVersion], [1, 'Default Runtime', i.DefaultRuntime],
    [1, 'Kernel Version', i.KernelVersion], [1, 'Operating System', i.OperatingSystem], [1, 'OSType', i.OSType],
    [1, 'Architecture', i.Architecture], [1, 'CPUs', i.NCPU], [1, 'Total Memory', binarySize(i.MemTotal)], [1, 'Name', i.Name],
    [1, 'Docker Root Dir', i.DockerRootDir],
  ];
  return `Client:\n Version:    ${VERSION}\n Context:    default\n\nServer:\n${lines.map(([d, k, v]) => `${' '.repeat(d)}${k}: ${v}\n`).join('')}`;
}

export default defineCommand({
  usage: 'vessel info [OPTIONS]',
  description: 'Display system-wide information',
  flags: {
    format: { type: 'string', short: 'f', description: "Format output using a custom template: 'json' or a Go-style template", valueName: 'string' },
  },
  args: { max: 0 },
  run(inv) {
    const info = systemInfo(engineOf(inv));
    const f = inv.flags.format;
    if (f === 'json') inv.io.out.write(`${JSON.stringify(info)}\n`);
    else if (f) inv.io.out.write(`${compileTemplate(f).render(info)}\n`);
    else inv.io.out.write(text(info));
  },
});
