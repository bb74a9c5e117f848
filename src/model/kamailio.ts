import type { ModelBase } from './common';

/** Kamailio's model: filled by src/parsers/kamailio (issue: Kamailio support). */
export interface KamailioModel extends ModelBase {
  platform: 'kamailio';
}
