import type { AsteriskModel } from '../../model/asterisk';

export function loadAsterisk(root: string): AsteriskModel {
  throw new Error(`not yet: ${root}`);
}
