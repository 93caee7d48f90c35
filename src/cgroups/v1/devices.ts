// v1 devices: "deny everything", then each rule in order to devices.allow or devices.deny.
import type { Controller } from '../controller.js';
import type { DeviceRule } from '../devices.js';
import { normalizeDeviceRule } from '../devices.js';

// "a" alone switches the whole default (and clears the exceptions); with a device number it has
// no v1 form, so it becomes one char and one block rule.
export function v1DeviceLines(rule: DeviceRule): string[] {
  const num = (n: number | null) => (n === null ? '*' : String(n));
  if (rule.type === 'a') {
    if (rule.major === null && rule.minor === null && rule.access === 'rwm') return ['a'];
    return (['c', 'b'] as const).flatMap((type) => v1DeviceLines({ ...rule, type }));
  }
  return [`${rule.type} ${num(rule.major)}:${num(rule.minor)} ${rule.access}`];
}

export const devices: Controller = {
  name: 'devices',
  wants: (r) => r.devices !== undefined,
  apply(ctx, r) {
    if (!r.devices) return;
    const rules = r.devices.map(normalizeDeviceRule);
    ctx.dir.write('devices.deny', 'a');
    for (const rule of rules) {
      for (const line of v1DeviceLines(rule)) ctx.dir.write(rule.allow ? 'devices.allow' : 'devices.deny', line);
    }
  },
};
