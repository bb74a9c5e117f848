import type { ModelBase } from './common';

/** FreeSWITCH's model: filled by src/parsers/freeswitch (issue: FreeSWITCH support). */
export interface FreeswitchModel extends ModelBase {
  platform: 'freeswitch';
}
