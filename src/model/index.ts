import type { AsteriskModel } from './asterisk';
import type { FreeswitchModel } from './freeswitch';
import type { KamailioModel } from './kamailio';

export type { AsteriskModel } from './asterisk';
export type { KamailioModel } from './kamailio';
export type { FreeswitchModel } from './freeswitch';
export * from './common';

/** Every engine's model; `platform` tells them apart. */
export type AnyModel = AsteriskModel | KamailioModel | FreeswitchModel;
export type ModelFor<P extends AnyModel['platform']> = Extract<AnyModel, { platform: P }>;
