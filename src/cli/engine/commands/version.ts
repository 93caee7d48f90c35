import { VERSION, versionInfo, type VersionInfo } from '../../../engine/system/version.js';
import { defineCommand } from '../command.js';
import { compileTemplate } from '../output/template.js';

function text(v: VersionInfo): string {
  const pad = (k: string, width: number) => `${k}:`.padEnd(width);
  const client = `Client:\n ${pad('Version', 18)}${v.Client.Version}\n ${pad('API version', 18)}${v.Client.ApiVersion}\n ${pad('Node version', 18)}${v.Client.NodeVersion}\n ${pad('OS/Arch', 18)}${v.Client.Os}/${v.Client.Arch}\n`;
  const components = v.Server.Components.map((c) => ` ${c.Name}:\n  ${pad('Version', 17)}${c.Version}\n${c.Name === 'Engine' ? `  ${pad('API version', 17)}${v.Server.ApiVersion}\n  ${pad('OS/Arch', 17)}${v.Server.Os}/${v.Server.Arch}\n` : ''}`).join('');
  return `${client}\nServer: vessel (daemonless)\n${components}`;
}

export default defineCommand({
  usage: 'vessel version [OPTIONS]',
  description: 'Show the vessel version information',
  flags: {
    format: { type: 'string', short: 'f', description: "Format output using a custom template: 'json' or a Go-style template", valueName: 'string' },
  },
  args: { max: 0 },
  run(inv) {
    const v = versionInfo(VERSION);
    const f = inv.flags.format;
    if (f === 'json') inv.io.out.write(`${JSON.stringify(v)}\n`);
    else if (f) inv.io.out.write(`${compileTemplate(f).render(v)}\n`);
    else inv.io.out.write(text(v));
  },
});
