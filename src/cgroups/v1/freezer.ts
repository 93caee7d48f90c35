// v1 freezer: FROZEN / THAWED, with FREEZING in between while tasks are being stopped.
import type { CgroupDir } from '../files.js';

export const FREEZER_STATE = 'freezer.state';

export function v1SetFrozen(dir: CgroupDir, frozen: boolean): void {
  dir.write(FREEZER_STATE, frozen ? 'FROZEN' : 'THAWED');
}

export function v1State(dir: CgroupDir): string {
  return dir.read(FREEZER_STATE);
}
